import { randomBytes } from 'node:crypto'
import { type SecretStore, secretKeys } from '../credentials/secret-store'
import { AppError } from '../errors'
import { type SseReadParams, sseCustomerParams } from './sse-headers'

/**
 * SSE-C customer keys: 256 random bits made here (or imported) and kept only in the keychain, under the account.
 * Only their names cross IPC, except when the user exports one on purpose: losing a key means losing the objects
 * encrypted with it, so a backup, and the import of that backup on another computer, must be possible.
 */
export interface CustomerKeys {
  list(accountId: string): Promise<string[]>
  create(accountId: string, name: string): Promise<void>
  delete(accountId: string, name: string): Promise<void>
  /** Stores a key made elsewhere (an export of this app, or any 32 random bytes in base64). */
  import(accountId: string, name: string, keyBase64: string): Promise<void>
  /** The key in base64, for the user's backup (the same text `import` takes). */
  export(accountId: string, name: string): Promise<string>
  /** The request parameters for reading or writing with the named key. */
  params(accountId: string, name: string): Promise<Required<SseReadParams>>
  /** The raw base64 key, for the upload path that builds its own parameters. */
  material(accountId: string, name: string): Promise<string>
}

/**
 * The key as 32 bytes from its base64 text, or why not. SSE-C is AES-256: S3 and OBS refuse any other length,
 * and a key that does not decode exactly would encrypt with bytes other than those the user backed up.
 */
export function parseCustomerKey(text: string): Buffer {
  const trimmed = text.trim()
  const bytes = Buffer.from(trimmed, 'base64')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || bytes.toString('base64') !== trimmed) {
    throw new AppError('INVALID_ARGUMENT', 'An SSE-C key is base64 text (as `sse-c-key export` prints it).', {
      params: { rule: 'customerKeyBase64' },
    })
  }
  if (bytes.length !== 32) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `An SSE-C key is 256 bits (32 bytes, 44 base64 characters); this one is ${bytes.length} bytes.`,
      { params: { rule: 'customerKeyLength', bytes: bytes.length } },
    )
  }
  return bytes
}

export function createCustomerKeys(secrets: SecretStore): CustomerKeys {
  async function material(accountId: string, name: string): Promise<string> {
    const key = await secrets.get(secretKeys.sseCustomerKey(accountId, name))
    if (!key)
      throw new AppError(
        'CREDENTIALS_MISSING',
        `The SSE-C key "${name}" is not in the keychain of this computer.`,
        { params: { cause: 'customerKeyMissing', name } },
      )
    return key
  }
  /** A new name only: an existing key is never replaced (the objects written with it would become unreadable). */
  async function store(accountId: string, name: string, key: Buffer): Promise<void> {
    if (!/^[\w .-]{1,200}$/u.test(name)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        'A key name may use letters, digits, spaces, dots, dashes and underscores.',
        { params: { rule: 'customerKeyName' } },
      )
    }
    const entry = secretKeys.sseCustomerKey(accountId, name)
    if (await secrets.get(entry))
      throw new AppError('INVALID_ARGUMENT', `An SSE-C key named "${name}" already exists.`, {
        params: { cause: 'customerKeyExists', name },
      })
    await secrets.set(entry, key.toString('base64'))
  }
  return {
    async list(accountId) {
      const prefix = secretKeys.sseCustomerKey(accountId, '')
      return (await secrets.keys())
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length))
        .sort()
    },
    async create(accountId, name) {
      await store(accountId, name, randomBytes(32))
    },
    async import(accountId, name, keyBase64) {
      await store(accountId, name, parseCustomerKey(keyBase64))
    },
    export: material,
    async delete(accountId, name) {
      await material(accountId, name) // a name that is not there is said, not silently "deleted"
      await secrets.delete(secretKeys.sseCustomerKey(accountId, name))
    },
    async params(accountId, name) {
      return sseCustomerParams(await material(accountId, name))
    },
    material,
  }
}
