import { randomBytes } from 'node:crypto'
import { type SecretStore, secretKeys } from '../credentials/secret-store'
import { AppError } from '../errors'
import { type SseReadParams, sseCustomerParams } from './sse-headers'

/**
 * SSE-C customer keys: 256 random bits made here and kept only in the keychain, under the account. Only their
 * names cross IPC. Losing a key means losing the objects encrypted with it, which the UI says when creating one.
 */
export interface CustomerKeys {
  list(accountId: string): Promise<string[]>
  create(accountId: string, name: string): Promise<void>
  delete(accountId: string, name: string): Promise<void>
  /** The request parameters for reading or writing with the named key. */
  params(accountId: string, name: string): Promise<Required<SseReadParams>>
  /** The raw base64 key, for the upload path that builds its own parameters. */
  material(accountId: string, name: string): Promise<string>
}

export function createCustomerKeys(secrets: SecretStore): CustomerKeys {
  async function material(accountId: string, name: string): Promise<string> {
    const key = await secrets.get(secretKeys.sseCustomerKey(accountId, name))
    if (!key)
      throw new AppError(
        'CREDENTIALS_MISSING',
        `The SSE-C key "${name}" is not in the keychain of this computer.`,
      )
    return key
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
      if (!/^[\w .-]{1,200}$/u.test(name)) {
        throw new AppError(
          'INVALID_ARGUMENT',
          'A key name may use letters, digits, spaces, dots, dashes and underscores.',
        )
      }
      const entry = secretKeys.sseCustomerKey(accountId, name)
      if (await secrets.get(entry))
        throw new AppError('INVALID_ARGUMENT', `An SSE-C key named "${name}" already exists.`)
      await secrets.set(entry, randomBytes(32).toString('base64'))
    },
    async delete(accountId, name) {
      await secrets.delete(secretKeys.sseCustomerKey(accountId, name))
    },
    async params(accountId, name) {
      return sseCustomerParams(await material(accountId, name))
    },
    material,
  }
}
