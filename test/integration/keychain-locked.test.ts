import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'

// Its own worker process, pointed at a second private keyring whose collection is locked.
const script = resolve(import.meta.dirname, '../support/keyring.sh')
let dir: string

describe('OS keychain locked', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-locked-'))
    execFileSync('bash', [script, 'start-locked', dir], { stdio: ['ignore', 'ignore', 'inherit'] })
    const env = JSON.parse(await readFile(join(dir, 'env.json'), 'utf8'))
    process.env.DBUS_SESSION_BUS_ADDRESS = env.DBUS_SESSION_BUS_ADDRESS
  })
  afterAll(() => {
    execFileSync('bash', [script, 'stop', '--purge', dir], { stdio: 'ignore' })
  })

  it('a write fails with KEYCHAIN_LOCKED telling the user to unlock it', async () => {
    const store = createKeytarStore('OBS Sync (test)')
    await expect(store.set('k', 'v')).rejects.toMatchObject({
      code: 'KEYCHAIN_LOCKED',
      message: expect.stringMatching(/locked.*Unlock it/),
    })
  })

  it('a read is not mistaken for a missing secret: it fails with KEYCHAIN_LOCKED too', async () => {
    const store = createKeytarStore('OBS Sync (test)')
    await expect(store.get('k')).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' })
  })
})
