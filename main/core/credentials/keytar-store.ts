import { AppError } from '../errors'
import type { SecretStore } from './secret-store'

export const KEYCHAIN_SERVICE = 'OBS Sync'

type Keytar = typeof import('keytar')

/**
 * The OS keychain through keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows).
 * keytar is loaded lazily: a machine without it (or without libsecret) still runs everything that needs no
 * secret, and gets a clear error when one is needed.
 */
export function createKeytarStore(
  service = KEYCHAIN_SERVICE,
  load: () => Promise<Keytar> = async () => (await import('keytar')).default,
): SecretStore {
  let keytar: Promise<Keytar> | undefined

  async function withKeychain<T>(operation: (k: Keytar) => Promise<T>): Promise<T> {
    keytar ??= load()
    let k: Keytar
    try {
      k = await keytar
    } catch (error) {
      keytar = undefined
      throw keychainError(error)
    }
    try {
      return await operation(k)
    } catch (error) {
      throw keychainError(error)
    }
  }

  return {
    get: (key) =>
      withKeychain(async (k) => {
        const secret = await k.getPassword(service, key)
        // A locked Secret Service collection reads as empty instead of failing: a write tells the two apart.
        if (secret === null) await probeWritable(k, service)
        return secret
      }),
    set: (key, secret) => withKeychain((k) => k.setPassword(service, key, secret)),
    delete: (key) => withKeychain((k) => k.deletePassword(service, key)),
    keys: () =>
      withKeychain(async (k) =>
        (await k.findCredentials(service)).map((c) => c.account).filter((name) => name !== PROBE_KEY),
      ),
  }
}

const PROBE_KEY = 'obs-sync/keychain-probe'

async function probeWritable(k: Keytar, service: string): Promise<void> {
  await k.setPassword(service, PROBE_KEY, 'probe')
  await k.deletePassword(service, PROBE_KEY)
}

/** Maps what keytar/libsecret say into the two cases a user can act on. */
export function keychainError(error: unknown): AppError {
  const detail = error instanceof Error ? error.message : String(error)
  if (/locked/i.test(detail)) {
    return new AppError(
      'KEYCHAIN_LOCKED',
      `The OS keychain is locked (${detail}). Unlock it (for example by logging in to the desktop session) and try again.`,
      { cause: error, params: { cause: 'keychainLocked', detail } },
    )
  }
  return new AppError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain cannot be reached (${detail}). Start a Secret Service such as gnome-keyring or KWallet, or on a headless server pass credentials in the environment (OBS_SYNC_ACCESS_KEY_ID / OBS_SYNC_SECRET_ACCESS_KEY).`,
    { cause: error, params: { cause: 'keychainUnreachable', detail } },
  )
}
