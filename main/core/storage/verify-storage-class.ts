import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import type { Provider } from '../../../preload/contract/models'
import type { SseReadParams } from '../encryption/sse-headers'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { sendReadingHeaders } from './answer-headers'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { sameStorageClass, storageClassLabel } from './storage-classes'

/**
 * Checks on the server's answer that an upload landed in the class asked for. PUT and
 * CompleteMultipartUpload answers carry no class on S3, RGW or OBS, so a HEAD reads it; S3 leaves
 * `x-amz-storage-class` out for STANDARD, OBS's own API answers `x-obs-storage-class` in its names (COLD = GLACIER).
 * A server that silently stored another class fails the job with STORAGE_CLASS_NOT_APPLIED.
 */
export async function verifyStorageClass(
  s3: S3Client,
  provider: Provider,
  target: { bucket: string; key: string; sseC?: SseReadParams; signal?: AbortSignal },
  asked: string,
  context: ErrorContext = {},
): Promise<void> {
  let answered: string | undefined
  try {
    const { output, headers } = await sendReadingHeaders<HeadObjectCommandOutput>(
      s3,
      new (await s3Sdk()).HeadObjectCommand({ Bucket: target.bucket, Key: target.key, ...target.sseC }),
      { abortSignal: target.signal },
    )
    answered = output.StorageClass ?? headers['x-obs-storage-class']
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket: target.bucket, key: target.key })
  }
  if (sameStorageClass(provider, asked, answered)) return
  const [askedLabel, storedLabel] = [
    storageClassLabel(provider, asked),
    storageClassLabel(provider, answered),
  ]
  throw new AppError(
    'STORAGE_CLASS_NOT_APPLIED',
    `"${target.key}" was asked to be stored as ${askedLabel} but the server stored it as ${storedLabel}. Check that the bucket allows that storage class.`,
    { params: { key: target.key, asked: askedLabel, stored: storedLabel } },
  )
}
