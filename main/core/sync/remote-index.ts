import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import { type StoredEncryption, storedEncryptionFromHeaders } from '../encryption/verify-encryption'
import { s3Sdk } from '../sdk'
import { sendReadingHeaders } from '../storage/answer-headers'
import { type ObjectLister, walkObjects } from '../storage/browse'
import { SHA256_METADATA_KEY } from '../storage/object-details'

export interface RemoteEntry {
  size: number
  lastModified?: string
}

/** Every object under a prefix, by key (one listing per reconcile instead of one HEAD per file). */
export async function remoteIndex(
  lister: ObjectLister,
  bucket: string,
  prefix: string,
): Promise<Map<string, RemoteEntry>> {
  const index = new Map<string, RemoteEntry>()
  for await (const object of walkObjects(lister, bucket, prefix)) {
    index.set(object.key, { size: object.size, lastModified: object.lastModified })
  }
  return index
}

/**
 * Our SHA-256 of the object at `key` (from its metadata; undefined when another tool uploaded it) and the
 * encryption the server says it holds; null when the object does not exist, undefined when it cannot be read
 * (SSE-C with another key).
 */
export async function remoteObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ sha256?: string; encryption: StoredEncryption } | null | undefined> {
  try {
    const { output, headers } = await sendReadingHeaders<HeadObjectCommandOutput>(
      s3,
      new (await s3Sdk()).HeadObjectCommand({ Bucket: bucket, Key: key }),
    )
    return {
      sha256: output.Metadata?.[SHA256_METADATA_KEY],
      encryption: storedEncryptionFromHeaders(headers),
    }
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 404) return null
    if (status === 400) return undefined
    throw error
  }
}
