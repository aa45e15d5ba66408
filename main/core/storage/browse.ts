import type { S3Client } from '@aws-sdk/client-s3'
import type { Bucket, ObjectPage } from '../../../preload/contract/models'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'

export async function listBuckets(s3: S3Client, context: ErrorContext = {}): Promise<Bucket[]> {
  try {
    const answer = await s3.send(new (await s3Sdk()).ListBucketsCommand({}))
    return (answer.Buckets ?? [])
      .filter((b) => b.Name)
      .map((b) => ({ name: b.Name!, createdAt: b.CreationDate?.toISOString() }))
  } catch (error) {
    throw classifyS3Error(error, context)
  }
}

export interface ListOptions {
  prefix?: string
  /** `/` lists one folder level; undefined lists every object under the prefix (a flat, recursive walk). */
  delimiter?: string
  continuationToken?: string
  /** At most 1000 per page (the S3 limit). */
  pageSize?: number
}

/** One page of objects and sub-folders; callers page on with `nextToken` (100k objects = 100 pages). */
export async function listObjectPage(
  s3: S3Client,
  bucket: string,
  options: ListOptions = {},
  context: ErrorContext = {},
): Promise<ObjectPage> {
  try {
    const answer = await s3.send(
      new (await s3Sdk()).ListObjectsV2Command({
        Bucket: bucket,
        Prefix: options.prefix || undefined,
        Delimiter: options.delimiter,
        ContinuationToken: options.continuationToken,
        MaxKeys: Math.min(options.pageSize ?? 1000, 1000),
      }),
    )
    return {
      prefix: options.prefix ?? '',
      folders: (answer.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
      objects: (answer.Contents ?? []).flatMap((o) =>
        o.Key === undefined
          ? []
          : [
              {
                key: o.Key,
                size: o.Size ?? 0,
                lastModified: o.LastModified?.toISOString(),
                etag: o.ETag,
                storageClass: o.StorageClass,
              },
            ],
      ),
      nextToken: answer.IsTruncated ? answer.NextContinuationToken : undefined,
    }
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket })
  }
}

/** Every object under a prefix, page by page, without holding the whole listing in memory. */
export async function* walkObjects(s3: S3Client, bucket: string, prefix = '', context: ErrorContext = {}) {
  let token: string | undefined
  do {
    const page = await listObjectPage(s3, bucket, { prefix, continuationToken: token }, context)
    yield* page.objects
    token = page.nextToken
  } while (token)
}
