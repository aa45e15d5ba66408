// Finding #11 (Low): queue.db, state.db and their -wal/-shm files were created 0644 (readable by every user of
// the computer; only a data folder the app created itself was 0700). Every data file is created 0600 and the
// data folder 0700; a data folder others can read is reported (log line + activity warning), not fatal.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import { openStateDb } from '../../main/core/sync/state-db'
import { type AppServices, createAppServices } from '../../main/services'
import { memorySecrets } from '../support/memory-secrets'
import { accountInput } from './account-fixture'

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8)

/** Every file and folder under `dir` with its mode, e.g. { 'queue.db': '600', drops: '700' }. */
function modesUnder(dir: string, prefix = ''): Record<string, string> {
  const modes: Record<string, string> = {}
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    modes[prefix + entry.name] = modeOf(path)
    if (entry.isDirectory()) Object.assign(modes, modesUnder(path, `${prefix}${entry.name}/`))
  }
  return modes
}

let services: AppServices | undefined

/** The app's services on `dataDir` as every shell builds them, started; what they log is collected. */
async function startServices(dataDir: string) {
  const logs: string[] = []
  const started = createAppServices({
    dataDir,
    host: 'web',
    secrets: memorySecrets(),
    log: (message) => logs.push(message),
  })
  services = started
  await started.start()
  return { logs, started }
}
afterEach(async () => {
  await services?.shutdown()
  services = undefined
})

describe('#11 data files are owner-only', () => {
  it('a new data folder and every file the app writes in it (queue, state, -wal, -shm, accounts, pairs) are 0700/0600 under umask 022', async () => {
    expect(process.umask() & 0o077).toBe(0o022) // the usual umask: files would be 0644 without the fix
    const dataDir = join(mkdtempSync(join(tmpdir(), 'obs-sync-sec11-')), 'new-home')
    const { logs, started } = await startServices(dataDir)
    await started.accounts.add(accountInput())
    const watched = mkdtempSync(join(tmpdir(), 'obs-sync-sec11-watched-'))
    const account = (await started.accounts.list())[0]
    await started.sync.add({
      localPath: watched,
      accountId: account?.id ?? '',
      bucket: 'b',
      prefix: '',
      encryption: { mode: 'none' },
      mode: 'upload-only',
      mirrorDeleteCapPercent: 20,
    })
    const modes = modesUnder(dataDir)
    expect(Object.keys(modes)).toEqual(
      expect.arrayContaining([
        'queue.db',
        'queue.db-wal',
        'queue.db-shm',
        'state.db',
        'state.db-wal',
        'state.db-shm',
        'accounts.json',
        'sync-pairs.json',
      ]),
    )
    for (const [name, mode] of Object.entries(modes)) {
      const isDir = statSync(join(dataDir, name)).isDirectory()
      expect(`${name} ${mode}`).toBe(`${name} ${isDir ? '700' : '600'}`)
    }
    expect(modeOf(dataDir)).toBe('700')
    expect(logs.join('\n')).not.toMatch(/other users/)
  })

  it('database files left 0644 by an older version are tightened when opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sync-sec11-old-'))
    openQueueDatabase(join(dir, 'queue.db')).close()
    openStateDb(join(dir, 'state.db')).close()
    for (const name of ['queue.db', 'state.db', 'queue.db-wal', 'state.db-shm']) {
      writeFileSync(join(dir, name), '', { flag: 'a' })
      chmodSync(join(dir, name), 0o644)
    }
    openQueueDatabase(join(dir, 'queue.db')).close()
    openStateDb(join(dir, 'state.db')).close()
    for (const name of readdirSync(dir)) expect(`${name} ${modeOf(join(dir, name))}`).toBe(`${name} 600`)
  })

  it('a data folder readable by others is reported in the log and the activity view, and the app still runs', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'obs-sync-sec11-open-')), 'home')
    mkdirSync(dataDir)
    chmodSync(dataDir, 0o755)
    const { logs, started } = await startServices(dataDir)
    expect(logs).toContain(
      `The data folder ${dataDir} can be read by other users of this computer (mode 755); run: chmod 700 "${dataDir}"`,
    )
    const answer = await started.dispatch('activity:recent', [])
    expect(JSON.stringify(answer)).toContain('can be read by other users')
    expect(await started.accounts.list()).toEqual([])
    expect(modeOf(join(dataDir, 'queue.db'))).toBe('600')
  })
})
