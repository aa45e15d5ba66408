import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { safeLocalPath } from '../../main/core/storage/safe-path'

const target = resolve('/tmp/downloads')

describe('download paths cannot escape the target folder', () => {
  it('maps ordinary keys, unicode and odd characters inside the folder', () => {
    expect(safeLocalPath(target, 'a/b/c.txt')).toBe(join(target, 'a/b/c.txt'))
    expect(safeLocalPath(target, 'ünï/文件 名.txt')).toBe(join(target, 'ünï/文件 名.txt'))
    expect(safeLocalPath(target, 'a+b=c&d#e?.txt')).toBe(join(target, 'a+b=c&d#e?.txt'))
    expect(safeLocalPath(target, '..hidden..name')).toBe(join(target, '..hidden..name'))
  })

  it.each([
    ['parent', '../x'],
    ['nested parent', 'a/../../x'],
    ['parent at the end', 'a/..'],
    ['backslash parent', '..\\x'],
    ['mixed separators', 'a\\..\\..\\x'],
    ['dot segment', 'a/./b'],
    ['absolute', '/etc/passwd'],
    ['absolute backslash', '\\\\server\\share'],
    ['drive letter', 'C:\\Windows\\x'],
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['reserved CON', 'CON'],
    ['reserved with extension', 'dir/com1.txt'],
    ['reserved lower-case', 'aux'],
    ['trailing dot', 'dir./x'],
    ['trailing space', 'name '],
    ['empty segment', 'a//b'],
    ['folder marker', 'folder/'],
    ['empty', ''],
  ])('refuses %s: %j', (_label, key) => {
    expect(() => safeLocalPath(target, key)).toThrow(expect.objectContaining({ code: 'UNSAFE_PATH' }))
  })
})
