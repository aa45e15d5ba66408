import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { expandPaths } from '../../main/core/queue/expand-paths'

let base: string
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'obs-sync-expand-'))
  for (const dir of ['b', 'e', 'trip-1/photos', 'trip-2/photos'])
    mkdirSync(join(base, dir), { recursive: true })
  writeFileSync(join(base, 'b', 'f1.txt'), 'from b')
  writeFileSync(join(base, 'e', 'f1.txt'), 'from e')
  writeFileSync(join(base, 'trip-1', 'photos', 'a.jpg'), '1a')
  writeFileSync(join(base, 'trip-1', 'photos', 'b.jpg'), '1b')
  writeFileSync(join(base, 'trip-2', 'photos', 'a.jpg'), '2a')
  writeFileSync(join(base, 'trip-2', 'photos', 'c.jpg'), '2c')
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

const keys = (files: { relativeKey: string }[]) => files.map((f) => f.relativeKey)

describe('each object of an upload gets one file', () => {
  it('two files of one name: the first is sent, the second is reported, not sent to the same object', async () => {
    const expansion = await expandPaths([join(base, 'b', 'f1.txt'), join(base, 'e', 'f1.txt')])
    expect(expansion.files.map((f) => f.path)).toEqual([join(base, 'b', 'f1.txt')])
    expect(expansion.skipped).toEqual([
      {
        path: join(base, 'e', 'f1.txt'),
        why: 'sameName',
        reason: 'another file of this upload has the same name and goes to the same object',
      },
    ])
  })

  it('two folders of one name: the files whose keys are taken are reported, the others sent', async () => {
    const expansion = await expandPaths([join(base, 'trip-1', 'photos'), join(base, 'trip-2', 'photos')])
    expect(keys(expansion.files).sort()).toEqual(['photos/a.jpg', 'photos/b.jpg', 'photos/c.jpg'])
    expect(expansion.skipped.map((s) => [s.path, s.why])).toEqual([
      [join(base, 'trip-2', 'photos', 'a.jpg'), 'sameName'],
    ])
  })

  it('the same file named twice (also through a link the user named) is sent once, nothing reported', async () => {
    symlinkSync(join(base, 'b', 'f1.txt'), join(base, 'f1.txt'))
    const file = join(base, 'b', 'f1.txt')
    const expansion = await expandPaths([file, file, join(base, 'f1.txt')])
    expect(expansion.files.map((f) => f.path)).toEqual([file])
    expect(expansion.skipped).toEqual([])
  })
})
