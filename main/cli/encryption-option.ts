import type { EncryptionChoice } from '../../preload/contract/models'
import { usageError } from './context'

export interface SseOptions {
  sse?: string
  kmsKey?: string
  sseCKey?: string
  /** `--storage-class`: an id (STANDARD_IA) or the provider's name (warm, cold); core resolves it. */
  storageClass?: string
}

/** `--sse kms|obs|c|none` with `--kms-key` / `--sse-c-key`; no `--sse` means the bucket's default encryption. */
export function encryptionFromOptions(options: SseOptions): EncryptionChoice | undefined {
  switch (options.sse) {
    case undefined:
      if (options.kmsKey) return { mode: 'sse-kms', keyId: options.kmsKey }
      return undefined
    case 'none':
      return { mode: 'none' }
    case 'obs':
    case 's3':
    case 'aes256':
      return { mode: 'sse-obs' }
    case 'kms':
      return { mode: 'sse-kms', keyId: options.kmsKey || undefined }
    case 'c':
      if (!options.sseCKey)
        throw usageError('--sse c needs --sse-c-key <name> (see `obs-sync sse-c-key create`).')
      return { mode: 'sse-c', customerKeyName: options.sseCKey }
    default:
      throw usageError(`--sse must be kms, obs, c or none, not "${options.sse}".`)
  }
}
