// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../preload/contract/errors'
import { describeIpcError, toUiError } from '../../renderer/src/errors'
import { IpcCallError } from '../../renderer/src/ipc/client'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useActivityStore } from '../../renderer/src/stores/activity'
import { useCustomerKeysStore } from '../../renderer/src/stores/customer-keys'
import {
  isSelectable,
  keyIdForChoice,
  keyMatches,
  unusableReason,
  useKmsStore,
} from '../../renderer/src/stores/kms'
import { useStatusStore } from '../../renderer/src/stores/status'
import { useSyncStore } from '../../renderer/src/stores/sync'
import { useThemeStore } from '../../renderer/src/stores/theme'
import { createFakeIpc, type FakeIpc, settle, storeHarness } from './renderer-fake-ipc'
import { account, defaultKey, kmsKey, pair, pairStatus, status } from './renderer-fixtures'

let ipc: FakeIpc
beforeEach(() => {
  localStorage.clear()
  ipc = createFakeIpc()
  storeHarness(ipc)
})

describe('accounts store', () => {
  it('loads, follows accounts:changed, and remembers the chosen account', async () => {
    ipc.answer('accounts:list', () => [account(), account({ id: 'acc-2', name: 'Home' })])
    const accounts = useAccountsStore()
    const stop = accounts.follow()
    await accounts.load()
    expect(accounts.current?.id).toBe('acc-1') // nothing chosen yet: the first
    accounts.select('acc-2')
    expect(accounts.current?.name).toBe('Home')
    expect(localStorage.getItem('obs-sync.current-account')).toBe('acc-2')
    ipc.emit('accounts:changed', [account()])
    expect(accounts.current?.id).toBe('acc-1') // the chosen one is gone
    stop()
    expect(ipc.listenerCount('accounts:changed')).toBe(0)
  })

  it('adds an account and makes it current; tests and removes by id', async () => {
    ipc.answer('accounts:add', (input) => account({ id: 'new', name: input.name }))
    ipc.answer('accounts:test', () => ({ bucketCount: 2, latencyMs: 40 }))
    ipc.answer('accounts:remove', () => null)
    const accounts = useAccountsStore()
    await accounts.add({
      name: 'Mine',
      provider: 'minio',
      endpoint: 'https://minio.local',
      region: 'us-east-1',
      addressing: 'path',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    })
    expect(accounts.currentId).toBe('new')
    expect(await accounts.test('new')).toEqual({ bucketCount: 2, latencyMs: 40 })
    await accounts.remove('new')
    expect(accounts.accounts).toEqual([])
    expect(accounts.current).toBeUndefined()
  })

  it('keeps a failed load as a sentence', async () => {
    ipc.fail('accounts:list', 'KEYCHAIN_LOCKED', '')
    const accounts = useAccountsStore()
    await accounts.load()
    expect(accounts.error).toEqual({
      code: 'KEYCHAIN_LOCKED',
      message: 'The system keychain is locked.',
      hint: 'Unlock the keychain, then try again.',
    })
  })
})

describe('kms store', () => {
  const enabled = kmsKey({ id: 'k-enabled', alias: 'finance' })
  const disabled = kmsKey({ id: 'k-disabled', alias: 'old', state: 'disabled' })
  const deleting = kmsKey({ id: 'k-del', state: 'pending-deletion' })
  const typed = kmsKey({ id: 'typed-1', headerId: 'typed-1', origin: 'manual', state: 'unknown' })

  it('lists keys per account once, and reports a listing refusal with the permission message', async () => {
    ipc.answer('kms:keys', (id) =>
      id === 'acc-1'
        ? {
            keys: [defaultKey, enabled, disabled],
            providerLists: true,
            consoleUrl: 'https://console.example/kms',
          }
        : {
            keys: [defaultKey],
            providerLists: true,
            listingError: { code: 'KMS_PERMISSION_MISSING', message: 'Listing keys needs kms:cmk:list.' },
          },
    )
    const kms = useKmsStore()
    await kms.load('acc-1')
    await kms.load('acc-1')
    await kms.load('acc-2')
    expect(ipc.callsTo('kms:keys')).toEqual([['acc-1'], ['acc-2']])
    expect(kms.listing('acc-1')).toMatchObject({
      keys: [defaultKey, enabled, disabled],
      consoleUrl: 'https://console.example/kms',
    })
    expect(kms.listing('acc-2')?.listingError).toEqual({
      code: 'KMS_PERMISSION_MISSING',
      message: 'Listing keys needs kms:cmk:list.',
      hint: 'You can still type a key id by hand below.',
    })
  })

  it('adds a typed key id, updates the account and lists again', async () => {
    let keys = [defaultKey]
    ipc.answer('kms:keys', () => ({ keys, providerLists: true }))
    ipc.answer('kms:add-manual', (id, keyId) => {
      keys = [defaultKey, typed]
      return account({ id, manualKmsKeyIds: [keyId] })
    })
    const kms = useKmsStore()
    const accounts = useAccountsStore()
    await kms.load('acc-1')
    await kms.addManual('acc-1', 'typed-1')
    expect(kms.listing('acc-1')?.keys).toEqual([defaultKey, typed])
    expect(accounts.byId('acc-1')?.manualKmsKeyIds).toEqual(['typed-1'])
  })

  it('finds the key a server names by bare id, header id, ARN or alias', async () => {
    ipc.answer('kms:keys', () => ({ keys: [defaultKey, enabled], providerLists: true }))
    const kms = useKmsStore()
    await kms.load('acc-1')
    for (const reported of [
      'k-enabled',
      'eu-de:domain:key/k-enabled',
      'arn:aws:kms:eu-west-1:1:key/k-enabled',
      'finance',
    ]) {
      expect(kms.findKey('acc-1', reported)?.id).toBe('k-enabled')
    }
    expect(kms.findKey('acc-1', 'other')).toBeUndefined()
    expect(keyMatches(enabled, 'alias/finance')).toBe(true)
  })

  it('lets enabled and typed keys be chosen, not disabled or deleting ones, and says why', () => {
    expect([defaultKey, enabled, typed].every(isSelectable)).toBe(true)
    expect(isSelectable(disabled)).toBe(false)
    expect(isSelectable(deleting)).toBe(false)
    expect(unusableReason(disabled)).toMatch(/disabled/)
    expect(unusableReason(deleting)).toMatch(/scheduled for deletion/)
    expect(keyIdForChoice(defaultKey)).toBeUndefined() // the default key is sent as no key id
    expect(keyIdForChoice(enabled)).toBe('eu-de:domain:key/k-enabled')
  })
})

describe('customer keys store', () => {
  it('lists and creates SSE-C key names per account', async () => {
    let names = ['a']
    ipc.answer('sse-c:list', () => names)
    ipc.answer('sse-c:create', (_id, name) => {
      names = [...names, name]
      return null
    })
    const keys = useCustomerKeysStore()
    await keys.load('acc-1')
    await keys.create('acc-1', 'b')
    expect(keys.of('acc-1')).toEqual(['a', 'b'])
    expect(keys.of('acc-2')).toEqual([])
  })
})

describe('status store', () => {
  it('reads the summary and follows status:changed', async () => {
    ipc.answer('status:get', () => status())
    const store = useStatusStore()
    store.follow()
    await store.load()
    expect(store.summary?.state).toBe('idle')
    ipc.emit('status:changed', status({ state: 'syncing', running: 2 }))
    expect(store.summary).toMatchObject({ state: 'syncing', running: 2 })
  })

  it('says the status is unavailable when the channel fails', async () => {
    ipc.fail('status:get', 'INTERNAL', 'Something went wrong inside OBS Sync. Details are in the log.')
    const store = useStatusStore()
    await store.load()
    expect(store.error?.message).toBe('Something went wrong inside OBS Sync. Details are in the log.')
  })
})

describe('sync store', () => {
  it('lists pairs, follows their status, and reloads after an action', async () => {
    let paused = false
    ipc.answer('sync:list', () => [
      { pair: pair({ paused }), status: pairStatus({ state: paused ? 'paused' : 'idle' }) },
    ])
    ipc.answer('sync:pause', () => {
      paused = true
      return null
    })
    const sync = useSyncStore()
    sync.follow()
    await sync.load()
    ipc.emit('sync:status', pairStatus({ state: 'syncing', pendingFiles: 3 }))
    expect(sync.entries[0]?.status).toMatchObject({ state: 'syncing', pendingFiles: 3 })
    await sync.pause('pair-1')
    expect(sync.entries[0]?.pair.paused).toBe(true)
  })

  it('keeps a failed action as an error and adds throw for the form', async () => {
    ipc.answer('sync:list', () => [])
    ipc.fail('sync:remove', 'NOT_FOUND', 'That watched folder no longer exists.')
    ipc.fail('sync:add', 'INVALID_ARGUMENT', 'The local folder does not exist.')
    const sync = useSyncStore()
    await sync.remove('gone')
    expect(sync.actionError?.message).toBe('That watched folder no longer exists.')
    await expect(sync.add({ ...pair(), encryption: undefined })).rejects.toThrow(
      'The local folder does not exist.',
    )
  })
})

describe('activity store', () => {
  it('keeps newest first, merges lines pushed during the first read, and caps the log', async () => {
    const store = useActivityStore()
    store.follow()
    let release!: () => void
    ipc.answer('activity:recent', async () => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return [{ at: '2026-01-01T00:00:01Z', level: 'info', message: 'old' }]
    })
    const loading = store.load()
    await settle()
    ipc.emit('activity', [{ at: '2026-01-01T00:00:05Z', level: 'error', message: 'new' }])
    release()
    await loading
    expect(store.entries.map((a) => a.message)).toEqual(['new', 'old'])
    for (let i = 0; i < 12; i++)
      ipc.emit(
        'activity',
        Array.from({ length: 100 }, (_, j) => ({
          at: '2026-01-02T00:00:00Z',
          level: 'info' as const,
          message: `${i * 100 + j}`,
        })),
      )
    expect(store.entries).toHaveLength(1000)
    expect(store.entries[0]?.message).toBe('1199')
  })

  it('an event of several lines (oldest first) lands newest first, every line in its place', () => {
    const store = useActivityStore()
    store.follow()
    const line = (message: string) => ({ at: '2026-01-03T00:00:00Z', level: 'info' as const, message })
    ipc.emit('activity', [line('a'), line('b')])
    ipc.emit('activity', [line('c'), line('d'), line('e')])
    expect(store.entries.map((a) => a.message)).toEqual(['e', 'd', 'c', 'b', 'a'])
  })
})

describe('theme store', () => {
  it('follows the OS by default and writes an explicit choice to <html data-theme>', () => {
    const theme = useThemeStore()
    expect(theme.preference).toBe('system')
    theme.set('dark')
    return settle().then(() => {
      expect(document.documentElement.dataset.theme).toBe('dark')
      expect(localStorage.getItem('obs-sync.theme')).toBe('dark')
      theme.set('system')
      return settle().then(() => expect(document.documentElement.dataset.theme).toBeUndefined())
    })
  })
})

describe('error words', () => {
  it('never shows a bare code: every code has a sentence when main sent none', () => {
    for (const code of ERROR_CODES) {
      const shown = toUiError(new IpcCallError({ code, message: code }))
      expect(shown.message).not.toBe(code)
      expect(shown.message).toMatch(/[a-z].*\.$/)
    }
  })

  it("shows main's sentence as it is, with a hint where the user can act", () => {
    expect(describeIpcError({ code: 'CLOCK_SKEW', message: 'The clock is 20 minutes off.' })).toEqual({
      code: 'CLOCK_SKEW',
      message: 'The clock is 20 minutes off.',
      hint: "Correct this computer's date and time, then try again.",
    })
  })

  it('turns a bug in the window into a sentence, never a stack trace', () => {
    const original = console.error
    console.error = () => {}
    try {
      const shown = toUiError(new TypeError("Cannot read properties of undefined (reading 'x')"))
      expect(shown.message).toBe('Something unexpected went wrong in this window.')
      expect(JSON.stringify(shown)).not.toMatch(/reading|at \w+ \(/)
    } finally {
      console.error = original
    }
  })
})
