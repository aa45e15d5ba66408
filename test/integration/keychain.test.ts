import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'
import { secretKeys } from '../../main/core/credentials/secret-store'

describe('OS keychain through keytar, against the run private gnome-keyring', () => {
  it('stores, reads back and deletes a secret', async () => {
    const store = createKeytarStore('OBS Sync (test)')
    const key = secretKeys.secretAccessKey(randomUUID())
    const secret = `s3cr3t-${randomUUID()}`
    expect(await store.get(key)).toBeNull()
    await store.set(key, secret)
    expect(await store.get(key)).toBe(secret)
    expect(await store.delete(key)).toBe(true)
    expect(await store.get(key)).toBeNull()
    expect(await store.delete(key)).toBe(false)
  })

  it('keeps secrets of different services and accounts apart', async () => {
    const a = createKeytarStore('OBS Sync (test A)')
    const b = createKeytarStore('OBS Sync (test B)')
    const key = secretKeys.secretAccessKey(randomUUID())
    await a.set(key, 'one')
    await b.set(key, 'two')
    expect(await a.get(key)).toBe('one')
    expect(await b.get(key)).toBe('two')
    await a.delete(key)
    expect(await b.get(key)).toBe('two')
    await b.delete(key)
  })
})
