import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * base.css gives inputs the app's field look (border, padding, height, dark colours) by their type
 * (input[type="text"], ...): an <input> without a type is a bare browser box, as the new bucket and new folder
 * dialogs' name fields were (thin border, no padding). Every <input> says its type.
 */
const ROOT = join(import.meta.dirname, '../../renderer/src')

function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? vueFiles(join(dir, entry.name))
      : entry.name.endsWith('.vue')
        ? [join(dir, entry.name)]
        : [],
  )
}

describe('renderer inputs', () => {
  it('every <input> names its type, so base.css styles it as a field', () => {
    const untyped: string[] = []
    for (const file of vueFiles(ROOT)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/<input\b[^>]*>/g)) {
        if (!/\s:?type=/.test(match[0])) untyped.push(`${relative(ROOT, file)}: ${match[0].slice(0, 80)}`)
      }
    }
    expect(untyped).toEqual([])
  })
})
