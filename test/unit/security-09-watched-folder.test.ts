// Finding #9 (Low): `sync:add` accepted a file as the watched folder, and the tray's "open folder" handed any
// path to shell.openPath (which runs an executable). A watched folder must be a directory on add, on every
// start, and when opened; open hands over only a path that still is a directory.
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPairStore } from '../../main/core/sync/pair-store'
import { createTrayActionRunner } from '../../main/electron/tray-actions'
import { offlinePairInput, offlineSyncService } from './sync-fixtures'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'obs-sync-sec09-'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

const pairInput = offlinePairInput
const syncService = offlineSyncService

/** Writes an executable script (mode 755) at `path`. */
async function executable(path: string, script: string): Promise<string> {
  await writeFile(path, script)
  await chmod(path, 0o755)
  return path
}

describe('#9 a watched folder must be a directory', () => {
  it('sync:add refuses a file (an executable here) and saves nothing', async () => {
    const dataDir = join(root, 'data')
    await mkdir(dataDir)
    const file = await executable(join(root, 'run-me.sh'), '#!/bin/sh\necho pwned\n')
    const { sync, close } = syncService(dataDir)
    await expect(sync.add(pairInput(file))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('is not a folder'),
    })
    await expect(sync.add(pairInput(join(root, 'missing')))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await sync.list()).toEqual([])
    await expect(readFile(join(dataDir, 'sync-pairs.json'), 'utf8')).rejects.toThrow(/ENOENT/)
    await close()
  })

  // The start-up check is the watched folder's presence guard (folder-presence.ts, issue #14): a folder that is no
  // longer a folder is "missing", nothing is watched, planned or deleted until a folder is back.
  it('a saved folder replaced by a file is refused when it starts (folder missing, nothing watched)', async () => {
    const dataDir = join(root, 'data')
    const folder = join(root, 'watched')
    await mkdir(dataDir)
    await mkdir(folder)
    await createPairStore(dataDir).add(pairInput(folder))
    await rm(folder, { recursive: true })
    await writeFile(folder, 'now a file')
    const { sync, statuses, close } = syncService(dataDir)
    await sync.startAll()
    expect(statuses.at(-1)).toMatchObject({
      state: 'missing',
      error: { code: 'FOLDER_MISSING', message: expect.stringContaining('is no longer a folder') },
    })
    await close()
  })
})

describe('#9 the tray opens only folders that still are folders', () => {
  function runner() {
    const opened: string[] = []
    const reports: string[] = []
    const run = createTrayActionRunner({
      dispatch: async () => ({ ok: true, value: null }),
      showWindow: () => {},
      openPath: async (path) => {
        opened.push(path)
        return ''
      },
      quit: () => {},
      report: (message) => reports.push(message),
    })
    return { run, opened, reports }
  }

  it('a folder is opened; a file, a link to a file and a missing path are never handed to openPath', async () => {
    const folder = join(root, 'Photos')
    await mkdir(folder)
    const exe = await executable(join(root, 'Documents'), '#!/bin/sh\n')
    const linkToExe = join(root, 'Reports')
    await symlink(exe, linkToExe)
    const { run, opened, reports } = runner()
    await run({ id: 'open-folder', path: folder })
    await run({ id: 'open-folder', path: exe })
    await run({ id: 'open-folder', path: linkToExe })
    await run({ id: 'open-folder', path: join(root, 'gone') })
    expect(opened).toEqual([folder])
    expect(reports).toHaveLength(3)
    expect(reports[0]).toContain('is not a folder')
    expect(reports[1]).toContain('is not a folder')
    expect(reports[2]).toContain('does not exist')
  })
})
