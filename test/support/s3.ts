import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Agent } from 'node:https'
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { createS3Client, type S3Connection } from '../../main/core/storage/s3-client'
import type { RgwEnv } from './services'

/**
 * An independent S3 client for tests to read back what the app wrote: plain SDK, path-style, its own agent,
 * trusting the run's CA. Built without the app's code so a bug there cannot hide itself.
 */
export function independentClient(rgw: RgwEnv, endpoint = rgw.httpsEndpoint): S3Client {
  return new S3Client({
    endpoint,
    region: rgw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(rgw.caFile, 'utf8') }) }),
  })
}

/** Every object under `prefix` (key and write time), as the independent client lists them page by page. */
export async function storedObjects(
  rgw: RgwEnv,
  bucket: string,
  prefix = '',
): Promise<{ key: string; lastModified?: string }[]> {
  const found: { key: string; lastModified?: string }[] = []
  for await (const page of paginateListObjectsV2(
    { client: independentClient(rgw) },
    { Bucket: bucket, Prefix: prefix },
  ))
    for (const o of page.Contents ?? [])
      found.push({ key: o.Key!, lastModified: o.LastModified?.toISOString() })
  return found
}

/** A name no other test uses: `prefix-` and 12 random hex digits. */
export function bucketName(prefix = 'it'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

export async function createBucket(rgw: RgwEnv, bucket: string): Promise<void> {
  await independentClient(rgw).send(new CreateBucketCommand({ Bucket: bucket }))
}

/** Each test gets its own bucket: tests are isolated by bucket, not by restarting services. */
export async function freshBucket(rgw: RgwEnv, prefix = 'it'): Promise<string> {
  const bucket = bucketName(prefix)
  await createBucket(rgw, bucket)
  return bucket
}

/** The app's own connection (createS3Client) to the harness RGW over TLS, as the account service builds it. */
export function appConnection(rgw: RgwEnv): Promise<S3Connection> {
  return createS3Client(
    { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path', caFile: rgw.caFile },
    { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  )
}

/** An object's bytes as the independent client reads them. */
export async function objectBytes(rgw: RgwEnv, bucket: string, key: string): Promise<Buffer> {
  const got = await independentClient(rgw).send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(await got.Body!.transformToByteArray())
}

/** The multipart uploads left open in `bucket` (under `prefix`), as the independent client lists them. */
export async function openMultipartUploads(rgw: RgwEnv, bucket: string, prefix?: string): Promise<unknown[]> {
  const listed = await independentClient(rgw).send(
    new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }),
  )
  return listed.Uploads ?? []
}
