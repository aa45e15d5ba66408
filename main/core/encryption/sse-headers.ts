import { createHash } from 'node:crypto'
import type { EncryptionChoice } from '../../../preload/contract/models'
import { AppError } from '../errors'

/** The SDK parameters that carry server-side encryption on PutObject, CreateMultipartUpload, GET and HEAD. */
export interface SseWriteParams {
  ServerSideEncryption?: 'aws:kms' | 'AES256'
  SSEKMSKeyId?: string
  SSECustomerAlgorithm?: 'AES256'
  SSECustomerKey?: string
  SSECustomerKeyMD5?: string
}

export type SseReadParams = Pick<
  SseWriteParams,
  'SSECustomerAlgorithm' | 'SSECustomerKey' | 'SSECustomerKeyMD5'
>

/** An SSE-C key as the keychain holds it: 32 random bytes, base64. */
export function sseCustomerParams(base64Key: string): Required<SseReadParams> {
  const key = Buffer.from(base64Key, 'base64')
  if (key.length !== 32) {
    throw new AppError(
      'INVALID_ARGUMENT',
      'An SSE-C customer key must be exactly 256 bits (32 bytes, base64).',
    )
  }
  return {
    SSECustomerAlgorithm: 'AES256',
    SSECustomerKey: key.toString('base64'),
    SSECustomerKeyMD5: createHash('md5').update(key).digest('base64'),
  }
}

/**
 * Parameters for writing an object. `kmsKeyHeaderId` is the key id as the header needs it (OBS accepts
 * `region:domainId:key/keyId` or a bare key id); without one the provider's default key is used by leaving the id out.
 * `customerKey` is the SSE-C key fetched from the keychain by the caller.
 */
export function sseWriteParams(
  choice: EncryptionChoice,
  resolved: { kmsKeyHeaderId?: string; customerKey?: string } = {},
): SseWriteParams {
  switch (choice.mode) {
    case 'none':
      return {}
    case 'sse-obs':
      return { ServerSideEncryption: 'AES256' }
    case 'sse-kms': {
      const keyId = resolved.kmsKeyHeaderId ?? choice.keyId
      return keyId
        ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }
        : { ServerSideEncryption: 'aws:kms' }
    }
    case 'sse-c':
      if (!resolved.customerKey) {
        throw new AppError(
          'CREDENTIALS_MISSING',
          `The SSE-C key "${choice.customerKeyName}" is not in the keychain.`,
          { params: { cause: 'customerKeyMissing', name: choice.customerKeyName } },
        )
      }
      return sseCustomerParams(resolved.customerKey)
  }
}
