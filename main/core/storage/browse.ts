import type { S3Client } from '@aws-sdk/client-s3'
import type { Bucket, ObjectPage } from '../../../preload/contract/models'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'
import type { ListObjectsInput } from './direct-list'
import type { S3Connection } from './s3-client'

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

/** Whatever lists objects: an account's connection (its direct listing, direct-list.ts). */
export type ObjectLister = Pick<S3Connection, 'listObjects'>

/** One page of objects and sub-folders; callers page on with `nextToken` (100k objects = 100 pages). */
export async function listObjectPage(
  lister: ObjectLister,
  bucket: string,
  options: ListOptions = {},
  context: ErrorContext = {},
): Promise<ObjectPage> {
  try {
    return await lister.listObjects(pageRequest(bucket, options))
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket })
  }
}

/** The request for one page (listObjectPage), also asked for ahead of need (listing-ahead.ts). */
export function pageRequest(bucket: string, options: ListOptions = {}): ListObjectsInput {
  return {
    bucket,
    prefix: options.prefix || undefined,
    delimiter: options.delimiter,
    continuationToken: options.continuationToken,
    maxKeys: Math.min(options.pageSize ?? 1000, 1000),
  }
}

/** Every object under a prefix, page by page, without holding the whole listing in memory. */
export async function* walkObjects(
  lister: ObjectLister,
  bucket: string,
  prefix = '',
  context: ErrorContext = {},
) {
  let token: string | undefined
  do {
    const page = await listObjectPage(lister, bucket, { prefix, continuationToken: token }, context)
    yield* page.objects
    token = page.nextToken
  } while (token)
}
