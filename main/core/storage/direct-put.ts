import type { SseWriteParams } from '../encryption/sse-headers'
import { type StoredEncryption, storedEncryptionFromHeaders } from '../encryption/verify-encryption'
import { bodyToSend, type Throttle } from './body-in-pieces'
import type { SendSigned } from './signed-request'

/** One single-request upload of bytes read once (see uploadFile): hashed in that read, sent from the same memory. */
export interface PutObjectInput {
  bucket: string
  key: string
  body: Buffer
  md5Base64: string
  sha256Hex: string
  contentType: string
  metadata: Record<string, string>
  sse: SseWriteParams
  /** The storage class asked for (S3 id, x-amz-storage-class); omitted = the bucket's default class. */
  storageClass?: string
  signal?: AbortSignal
  /** Waits until `bytes` may be sent (the queue's bandwidth limit), before each piece (body-in-pieces.ts). */
  throttle?: Throttle
  onProgress?: (bytesSent: number, total: number) => void
}

/** What the server answered: the ETag, and the encryption it says it applied (verified by the caller). */
export interface PutObjectAnswer {
  etag?: string
  encryption: StoredEncryption
}

export type PutObject = (input: PutObjectInput) => Promise<PutObjectAnswer>

/** The request headers of a PUT: content, our metadata and the encryption asked for (SSE-C key included). */
function requestHeaders(input: PutObjectInput): Record<string, string> {
  const headers: Record<string, string> = {
    'content-length': String(input.body.length),
    'content-md5': input.md5Base64,
    'content-type': input.contentType,
    'x-amz-content-sha256': input.sha256Hex,
  }
  for (const [name, value] of Object.entries(input.metadata))
    headers[`x-amz-meta-${name.toLowerCase()}`] = value
  if (input.storageClass) headers['x-amz-storage-class'] = input.storageClass
  const sse = input.sse
  if (sse.ServerSideEncryption) headers['x-amz-server-side-encryption'] = sse.ServerSideEncryption
  if (sse.SSEKMSKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = sse.SSEKMSKeyId
  if (sse.SSECustomerAlgorithm) {
    headers['x-amz-server-side-encryption-customer-algorithm'] = sse.SSECustomerAlgorithm
    headers['x-amz-server-side-encryption-customer-key'] = sse.SSECustomerKey ?? ''
    headers['x-amz-server-side-encryption-customer-key-md5'] = sse.SSECustomerKeyMD5 ?? ''
  }
  return headers
}

/**
 * The one single-request upload: a signed PUT (signed-request.ts) of bytes read once. The signed payload hash is
 * the content's SHA-256, computed in the same read as Content-MD5 and our metadata hash, so the server checks the
 * bytes twice (MD5 and SHA-256) and no file is read again to send it. SSE-KMS, SSE-OBS and SSE-C all go this way.
 * Without the SDK's per-command middleware stack: for thousands of small files that stack was the largest CPU cost
 * of an upload (~1.7 ms a file of ~6 ms).
 */
export function createDirectPut(sendSigned: SendSigned): PutObject {
  return async (input) => {
    // The upload's baseline, as a multipart upload reports its stored parts first: the progress meter counts a
    // job's first report as where it stands, not as movement. A body of one piece is reported only once sent,
    // and without this 0 that one report was its baseline: many small uploads moved nothing, and showed no rate.
    input.onProgress?.(0, input.body.length)
    const answer = await sendSigned({
      method: 'PUT',
      bucket: input.bucket,
      key: input.key,
      headers: requestHeaders(input),
      // Pieces by the one rule of body-in-pieces.ts, each waiting for the bandwidth limit and reported as
      // progress once handed to the socket; a body of one piece or less waits once for its whole length.
      body: () =>
        bodyToSend(input.body, {
          throttle: input.throttle,
          signal: input.signal,
          onPiece: (bytes) => input.onProgress?.(bytes, input.body.length),
        }),
      signal: input.signal,
    })
    input.onProgress?.(input.body.length, input.body.length)
    return { etag: answer.headers.etag, encryption: storedEncryptionFromHeaders(answer.headers) }
  }
}
