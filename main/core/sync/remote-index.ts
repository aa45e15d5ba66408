import type { S3Client } from '@aws-sdk/client-s3'
import { s3Sdk } from '../sdk'
import { walkObjects } from '../storage/browse'
import { SHA256_METADATA_KEY } from '../storage/object-details'

export interface RemoteEntry {
  size: number
  lastModified?: string
}

/** Every object under a prefix, by key (one listing per reconcile instead of one HEAD per file). */
export async function remoteIndex(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Map<string, RemoteEntry>> {
  const index = new Map<string, RemoteEntry>()
  for await (const object of walkObjects(s3, bucket, prefix)) {
    index.set(object.key, { size: object.size, lastModified: object.lastModified })
  }
  return index
}

/**
 * Our SHA-256 of the object at `key`, from its metadata; null when the object does not exist, undefined when it
 * exists but carries none (uploaded by another tool) or cannot be read (SSE-C with another key).
 */
export async function remoteSha256(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<string | null | undefined> {
  try {
    const head = await s3.send(new (await s3Sdk()).HeadObjectCommand({ Bucket: bucket, Key: key }))
    return head.Metadata?.[SHA256_METADATA_KEY]
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 404) return null
    if (status === 400) return undefined
    throw error
  }
}
