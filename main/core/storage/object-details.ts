import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import type { ObjectDetails, ObjectEncryption, Provider } from '../../../preload/contract/models'
import type { SseReadParams } from '../encryption/sse-headers'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { sendReadingHeaders } from './answer-headers'
import { archiveStateOf } from './archive-state'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { canonicalStorageClass, storageClassLabel } from './storage-classes'

/** The metadata key under which we store the content's SHA-256 (hex). */
export const SHA256_METADATA_KEY = 'sha256'

export function encryptionOf(
  head: Pick<HeadObjectCommandOutput, 'ServerSideEncryption' | 'SSEKMSKeyId' | 'SSECustomerAlgorithm'>,
): ObjectEncryption {
  if (head.SSECustomerAlgorithm) return { mode: 'sse-c' }
  const sse = String(head.ServerSideEncryption ?? '')
  if (sse.startsWith('aws:kms') || sse === 'kms') return { mode: 'sse-kms', kmsKeyId: head.SSEKMSKeyId }
  if (sse === 'AES256') return { mode: 'sse-obs' }
  return { mode: 'none' }
}

/**
 * HEAD an object: size, dates, type, metadata and how it is encrypted. An SSE-C object can only be read with
 * its key; without one, the server refuses (HTTP 400) and we report that it needs its customer key.
 */
export async function objectDetails(
  s3: S3Client,
  bucket: string,
  key: string,
  sseC: SseReadParams = {},
  context: ErrorContext = {},
  provider: Provider = 'custom-s3',
): Promise<ObjectDetails> {
  let head: HeadObjectCommandOutput
  let raw: Record<string, string>
  try {
    ;({ output: head, headers: raw } = await sendReadingHeaders<HeadObjectCommandOutput>(
      s3,
      new (await s3Sdk()).HeadObjectCommand({ Bucket: bucket, Key: key, ...sseC }),
    ))
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 400 && !sseC.SSECustomerKey) {
      throw new AppError(
        'SSE_C_KEY_REQUIRED',
        `"${key}" is encrypted with a customer key (SSE-C). Choose the key it was uploaded with to read it.`,
        { cause: error, params: { key } },
      )
    }
    throw classifyS3Error(error, { ...context, bucket, key })
  }
  const metadata = head.Metadata ?? {}
  return {
    bucket,
    key,
    size: head.ContentLength ?? 0,
    lastModified: head.LastModified?.toISOString(),
    contentType: head.ContentType,
    etag: head.ETag,
    metadata,
    sha256: metadata[SHA256_METADATA_KEY],
    encryption: encryptionOf(head),
    ...storageClassOf(provider, head, raw),
  }
}

/** Class and restore state; OBS's own API answers x-obs-storage-class / x-obs-restore, which the SDK does not read. */
function storageClassOf(
  provider: Provider,
  head: Pick<HeadObjectCommandOutput, 'StorageClass' | 'Restore'>,
  raw: Record<string, string>,
): Pick<ObjectDetails, 'storageClass' | 'storageClassLabel' | 'archive'> {
  const answered = head.StorageClass ?? raw['x-obs-storage-class']
  return {
    storageClass: canonicalStorageClass(provider, answered),
    storageClassLabel: storageClassLabel(provider, answered),
    archive: archiveStateOf(provider, answered, head.Restore ?? raw['x-obs-restore']),
  }
}
