import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'

// Its own file, so its own worker process: libsecret keeps its bus connection for the life of a process.
describe('OS keychain absent (no Secret Service on the session bus)', () => {
  beforeAll(async () => {
    const empty = await mkdtemp(join(tmpdir(), 'obs-sync-no-bus-'))
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(empty, 'no-such-bus')}`
  })

  it('fails fast with KEYCHAIN_UNAVAILABLE and a message that says what to do', async () => {
    const store = createKeytarStore('OBS Sync (test)')
    const started = Date.now()
    const error = await store.set('k', 'v').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect((error as Error).message).toMatch(/Secret Service/)
    expect((error as Error).message).toMatch(/OBS_SYNC_SECRET_ACCESS_KEY/)
    expect(Date.now() - started).toBeLessThan(10_000)
    await expect(store.get('k')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
  })
})
