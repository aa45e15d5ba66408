import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { digestFile } from '../../main/core/storage/hashing'

const MiB = 1024 * 1024

/** Our SHA-256 of a file (object metadata, change detection), read 1 MiB at a time with the next read ahead. */
describe('digestFile', () => {
  it('is the SHA-256 and size of the whole file, at every size around its 1 MiB reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-digest-'))
    for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 2 * MiB, 3 * MiB + 7]) {
      const data = randomBytes(size)
      const path = join(dir, `f${size}`)
      await writeFile(path, data)
      expect(await digestFile(path)).toEqual({
        sha256Hex: createHash('sha256').update(data).digest('hex'),
        size,
      })
    }
  })

  it('stops when aborted, and a missing file is the file system error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-digest-'))
    const path = join(dir, 'big')
    await writeFile(path, randomBytes(4 * MiB))
    const controller = new AbortController()
    controller.abort(new Error('stopped by the user'))
    await expect(digestFile(path, controller.signal)).rejects.toThrow('stopped by the user')
    await expect(digestFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
