import type { EncryptionChoice, ObjectEncryption } from '../../../preload/contract/models'
import { AppError } from '../errors'
import { type SseWriteParams, sseWriteParams } from './sse-headers'

/**
 * What a server says it stored, read from its answer: the SSE algorithm (normalised to `kms` or `AES256`), the KMS
 * key id, and for SSE-C the customer algorithm and key MD5. Empty when the answer said nothing about encryption.
 */
export interface StoredEncryption {
  algorithm?: 'kms' | 'AES256' | string
  kmsKeyId?: string
  customerAlgorithm?: string
  customerKeyMd5?: string
}

/**
 * Response header names of both dialects. S3 (and OBS answering an S3-signed request):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_ResponseSyntax
 * OBS's own names: https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0080.html (PUT Object, response headers)
 */
const HEADERS = {
  algorithm: ['x-amz-server-side-encryption', 'x-obs-server-side-encryption'],
  kmsKeyId: ['x-amz-server-side-encryption-aws-kms-key-id', 'x-obs-server-side-encryption-kms-key-id'],
  customerAlgorithm: [
    'x-amz-server-side-encryption-customer-algorithm',
    'x-obs-server-side-encryption-customer-algorithm',
  ],
  customerKeyMd5: [
    'x-amz-server-side-encryption-customer-key-md5',
    'x-obs-server-side-encryption-customer-key-md5',
  ],
} as const

/** S3 answers `aws:kms` (or `aws:kms:dsse`), OBS `kms`: one name for the comparison. */
function normaliseAlgorithm(value: string | undefined): string | undefined {
  if (!value) return undefined
  return value === 'kms' || value.startsWith('aws:kms') ? 'kms' : value
}

/** From raw response headers, whatever their case (Node lower-cases them; other transports may not). */
export function storedEncryptionFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): StoredEncryption {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
  const first = (names: readonly string[]) => {
    for (const name of names) {
      const value = lower.get(name)
      const text = Array.isArray(value) ? value[0] : value
      if (text) return text
    }
    return undefined
  }
  return clean({
    algorithm: normaliseAlgorithm(first(HEADERS.algorithm)),
    kmsKeyId: first(HEADERS.kmsKeyId),
    customerAlgorithm: first(HEADERS.customerAlgorithm),
    customerKeyMd5: first(HEADERS.customerKeyMd5),
  })
}

function clean(stored: StoredEncryption): StoredEncryption {
  return Object.fromEntries(Object.entries(stored).filter(([, v]) => v)) as StoredEncryption
}

/** True when the answer says anything about encryption (otherwise a HEAD may tell, see uploads). */
export function answeredEncryption(stored: StoredEncryption): boolean {
  return Object.keys(stored).length > 0
}

/** Whether the answer asks for any check at all: a plain upload has nothing to confirm. */
export function requestsEncryption(requested: SseWriteParams): boolean {
  return Boolean(requested.ServerSideEncryption || requested.SSECustomerAlgorithm)
}

/**
 * A KMS key id as asked (bare id, `region:domain:key/id` on OBS, an ARN on AWS) against the one answered, which the
 * server may give in another of those forms: they match when one is the other's last path or colon segment.
 * An alias (`alias/x`) cannot be compared with the key id AWS answers; any key id then confirms KMS was used.
 */
function sameKmsKey(asked: string, answered: string): boolean {
  if (asked === answered) return true
  if (asked.startsWith('alias/')) return true
  const tail = (id: string) => id.split(/[/:]/).at(-1) ?? id
  return tail(asked) === tail(answered)
}

function describeRequest(requested: SseWriteParams): string {
  if (requested.SSECustomerAlgorithm) return 'SSE-C with your customer key'
  if (requested.ServerSideEncryption === 'aws:kms')
    return requested.SSEKMSKeyId
      ? `SSE-KMS with key "${requested.SSEKMSKeyId}"`
      : "SSE-KMS with the provider's default key"
  return 'SSE-OBS/SSE-S3 (AES256)'
}

function describeAnswer(stored: StoredEncryption): string {
  if (!answeredEncryption(stored)) return 'confirmed no encryption at all'
  const parts: string[] = []
  if (stored.algorithm) parts.push(`encryption "${stored.algorithm}"`)
  if (stored.kmsKeyId) parts.push(`KMS key "${stored.kmsKeyId}"`)
  if (stored.customerAlgorithm) parts.push(`SSE-C ${stored.customerAlgorithm}`)
  if (stored.customerKeyMd5) parts.push(`customer key MD5 ${stored.customerKeyMd5}`)
  return `answered ${parts.join(', ')}`
}

/** Why the answer does not confirm the request, or undefined when it does. */
export function encryptionMismatch(requested: SseWriteParams, stored: StoredEncryption): string | undefined {
  if (requested.SSECustomerAlgorithm) {
    const ok =
      stored.customerAlgorithm === requested.SSECustomerAlgorithm &&
      stored.customerKeyMd5 === requested.SSECustomerKeyMD5
    return ok ? undefined : 'customer key not confirmed'
  }
  if (requested.ServerSideEncryption === 'aws:kms') {
    if (stored.algorithm !== 'kms') return 'KMS encryption not confirmed'
    if (!requested.SSEKMSKeyId) return undefined
    if (!stored.kmsKeyId) return 'KMS key not named'
    return sameKmsKey(requested.SSEKMSKeyId, stored.kmsKeyId) ? undefined : 'another KMS key'
  }
  if (requested.ServerSideEncryption === 'AES256') {
    return stored.algorithm === 'AES256' ? undefined : 'AES256 not confirmed'
  }
  return undefined
}

/**
 * Whether an object already stored holds the encryption a choice asks for (a sync adopting a remote copy with
 * the same content). SSE-C cannot be confirmed without the key, so such a copy never counts as matching.
 */
export function storedMatchesChoice(choice: EncryptionChoice, stored: StoredEncryption): boolean {
  if (choice.mode === 'sse-c') return false
  return encryptionMismatch(sseWriteParams(choice), stored) === undefined
}

/** The same facts from a HEAD's reading (object details), for the same comparisons. */
export function storedFromObjectEncryption(encryption: ObjectEncryption): StoredEncryption {
  if (encryption.mode === 'sse-kms') return clean({ algorithm: 'kms', kmsKeyId: encryption.kmsKeyId })
  if (encryption.mode === 'sse-obs') return { algorithm: 'AES256' }
  if (encryption.mode === 'sse-c') return { customerAlgorithm: 'AES256' }
  return {}
}

/**
 * Throws ENCRYPTION_NOT_APPLIED when what the server says it stored is not what was asked. Ceph RGW 16, for one,
 * accepts `AES256`, stores the object in plaintext and answers no encryption header: checking the request alone
 * would report that object as encrypted.
 */
export function assertEncryptionApplied(
  requested: SseWriteParams,
  stored: StoredEncryption,
  where: { bucket: string; key: string },
): void {
  if (encryptionMismatch(requested, stored) === undefined) return
  throw new AppError(
    'ENCRYPTION_NOT_APPLIED',
    `Asked the server to store "${where.bucket}/${where.key}" with ${describeRequest(requested)}, but the server ${describeAnswer(stored)}. The upload is not counted as done; the object the server stored is left as it is. Choose an encryption this server applies (for example SSE-KMS with a key id), or remove the object.`,
    { params: { bucket: where.bucket, key: where.key } },
  )
}
