import type { SecretStore } from '../../main/core/credentials/secret-store'

/** A keychain in memory, for unit tests that check what is (and is not) stored as a secret. */
export function memorySecrets(): SecretStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>()
  return {
    entries,
    get: async (key) => entries.get(key) ?? null,
    set: async (key, secret) => void entries.set(key, secret),
    delete: async (key) => entries.delete(key),
    keys: async () => [...entries.keys()],
  }
}
