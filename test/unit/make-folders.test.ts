import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../main/core/data-files'
import { makeFolders, makeFoldersSync } from '../../main/core/make-folders'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import { createPartialFile } from '../../main/core/storage/safe-path'

/**
 * Folders made for the data folder, downloads and drops. Node 20's `mkdir(..., { recursive: true })` never returned
 * (spinning at full CPU) for a path under /proc: found when a download into /proc/walk-no-write stayed "running,
 * 0 of 1" for minutes, and `obs-sync --data-dir /proc/x status` hung the same way.
 */
describe('making folders', () => {
  const base = () => mkdtempSync(join(tmpdir(), 'obs-sync-folders-'))

  it('makes every missing folder of a path, with the mode asked for, and accepts one that exists', async () => {
    const dir = join(base(), 'a', 'b', 'c')
    await makeFolders(dir, 0o700)
    expect(statSync(dir).isDirectory()).toBe(true)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    await makeFolders(dir, 0o700)
    const other = join(base(), 'x', 'y')
    makeFoldersSync(other)
    makeFoldersSync(other)
    expect(statSync(other).isDirectory()).toBe(true)
  })

  it('a folder under /proc is refused at once with its name and the reason (it used to hang)', async () => {
    const refusal = {
      code: 'INVALID_ARGUMENT',
      message: 'The folder /proc/obs-sync-nowhere cannot be created (ENOENT).',
      params: { cause: 'folderNotCreated', folder: '/proc/obs-sync-nowhere', errno: 'ENOENT' },
    }
    await expect(makeFolders('/proc/obs-sync-nowhere/sub')).rejects.toMatchObject(refusal)
    expect(() => makeFoldersSync('/proc/obs-sync-nowhere/sub')).toThrow(expect.objectContaining(refusal))
    expect(() => prepareDataDir('/proc/obs-sync-nowhere')).toThrow(expect.objectContaining(refusal))
    expect(() => openQueueDatabase('/proc/obs-sync-nowhere/queue.db')).toThrow(
      expect.objectContaining(refusal),
    )
    // A download's target folder.
    await expect(
      createPartialFile('/proc/obs-sync-nowhere', '/proc/obs-sync-nowhere/a.txt', 'a.txt', '.part'),
    ).rejects.toMatchObject(refusal)
  })

  it('a path through a file is refused naming the folder that cannot be made (ENOTDIR)', async () => {
    const file = join(base(), 'plain-file')
    writeFileSync(file, 'x')
    await expect(makeFolders(join(file, 'sub', 'deeper'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      params: { cause: 'folderNotCreated', folder: join(file, 'sub'), errno: 'ENOTDIR' },
    })
  })
})
