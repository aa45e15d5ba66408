import type { S3Client } from '@aws-sdk/client-s3'
import type { Provider } from '../../../preload/contract/models'
import { AppError } from '../errors'
import { presignerSdk, s3Sdk } from '../sdk'
import { assertReadable } from './archive-guard'
import type { ErrorContext } from './classify-error'
import { objectDetails } from './object-details'

export const MAX_SHARE_SECONDS = 7 * 24 * 3600

/**
 * A time-limited GET link for an unencrypted object. OBS does not let anyone read SSE-KMS or SSE-C objects
 * through a share link, so for those the link is refused with the reason rather than handed out broken.
 */
export async function createShareLink(
  s3: S3Client,
  bucket: string,
  key: string,
  expiresInSeconds: number,
  context: ErrorContext = {},
  provider: Provider = 'custom-s3',
): Promise<{ url: string; expiresAt: string }> {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 60 || expiresInSeconds > MAX_SHARE_SECONDS) {
    throw new AppError('INVALID_ARGUMENT', 'A share link lasts between one minute and seven days.', {
      params: { rule: 'shareDuration' },
    })
  }
  const details = await objectDetails(s3, bucket, key, {}, context, provider).catch((error) => {
    if (error instanceof AppError && error.code === 'SSE_C_KEY_REQUIRED') {
      throw new AppError(
        'ENCRYPTED_NOT_SHAREABLE',
        `"${key}" is encrypted with a customer key (SSE-C) and cannot be shared by link.`,
        { params: { key, mode: 'SSE-C' } },
      )
    }
    throw error
  })
  if (details.encryption.mode !== 'none') {
    const mode = { 'sse-kms': 'SSE-KMS', 'sse-obs': 'SSE-OBS', 'sse-c': 'SSE-C' }[details.encryption.mode]
    throw new AppError(
      'ENCRYPTED_NOT_SHAREABLE',
      `"${key}" is encrypted (${mode}); encrypted objects cannot be shared by link. Download it and share the file another way.`,
      { params: { key, mode } },
    )
  }
  // A link to an archived object would answer 403 InvalidObjectState to whoever opens it.
  assertReadable(details)
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([s3Sdk(), presignerSdk()])
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: expiresInSeconds,
  })
  return { url, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() }
}
