import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { Agent, request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { sseCustomerParams } from '../../main/core/encryption/sse-headers'
import { listBuckets, listObjectPage, walkObjects } from '../../main/core/storage/browse'
import { bucketEncryption } from '../../main/core/storage/bucket-encryption'
import { downloadObject } from '../../main/core/storage/download-object'
import { objectDetails } from '../../main/core/storage/object-details'
import { createS3Client } from '../../main/core/storage/s3-client'
import { createShareLink } from '../../main/core/storage/share-link'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const connection = () =>
  createS3Client(
    { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path', caFile: rgw.caFile },
    { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  )
const client = async () => (await connection()).s3

async function put(bucket: string, key: string, body: Buffer | string, extra: Record<string, unknown> = {}) {
  await independentClient(rgw).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }))
}

/** A plain HTTPS GET, as a browser following a share link would do (no credentials, the run's CA). */
function fetchWithCa(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const agent = new Agent({ ca: caPem })
    request(url, { agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
    })
      .on('error', reject)
      .end()
  })
}
let caPem = ''

describe('browsing, details, downloads and share links against RGW', () => {
  let bucket: string
  beforeAll(async () => {
    caPem = await readFile(rgw.caFile, 'utf8')
    bucket = await freshBucket(rgw, 'browse')
  })

  it('lists buckets, and pages through 2,500 objects with folders', async () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `many/${String(i).padStart(5, '0')}.txt`)
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => put(bucket, key, key)))
    }
    await put(bucket, 'top.txt', 'top')
    await put(bucket, 'other/inner.txt', 'inner')

    expect((await listBuckets(await client())).map((b) => b.name)).toContain(bucket)

    const lister = await connection()
    const root = await listObjectPage(lister, bucket, { delimiter: '/' })
    expect(root.folders).toEqual(['many/', 'other/'])
    expect(root.objects.map((o) => o.key)).toEqual(['top.txt'])
    expect(root.nextToken).toBeUndefined()

    const pages: number[] = []
    let token: string | undefined
    const seen: string[] = []
    do {
      const page = await listObjectPage(lister, bucket, {
        prefix: 'many/',
        delimiter: '/',
        continuationToken: token,
      })
      pages.push(page.objects.length)
      seen.push(...page.objects.map((o) => o.key))
      token = page.nextToken
    } while (token)
    expect(pages).toEqual([1000, 1000, 500])
    expect(seen).toEqual(keys)

    let walked = 0
    for await (const _ of walkObjects(lister, bucket, 'many/')) walked++
    expect(walked).toBe(2500)
  })

  it('object details: size, type, metadata and encryption mode with the key id', async () => {
    await put(bucket, 'details/kms.txt', 'hello', {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: rgw.kmsKeyIds[0],
      ContentType: 'text/plain',
      Metadata: { sha256: 'abc', owner: 'me' },
    })
    await put(bucket, 'details/plain.txt', 'plain')
    const s3 = await client()
    const kms = await objectDetails(s3, bucket, 'details/kms.txt')
    expect(kms).toMatchObject({
      size: 5,
      contentType: 'text/plain',
      sha256: 'abc',
      metadata: { owner: 'me' },
      encryption: { mode: 'sse-kms', kmsKeyId: rgw.kmsKeyIds[0] },
    })
    expect(Date.parse(kms.lastModified!)).toBeGreaterThan(Date.now() - 600_000)
    expect((await objectDetails(s3, bucket, 'details/plain.txt')).encryption).toEqual({ mode: 'none' })
    await expect(objectDetails(s3, bucket, 'details/missing.txt')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it('an SSE-C object: details and download need its key, and work with it', async () => {
    const key = randomBytes(32).toString('base64')
    const data = randomBytes(5000)
    await put(bucket, 'ssec/file.bin', data, sseCustomerParams(key))
    const s3 = await client()
    await expect(objectDetails(s3, bucket, 'ssec/file.bin')).rejects.toMatchObject({
      code: 'SSE_C_KEY_REQUIRED',
    })
    expect((await objectDetails(s3, bucket, 'ssec/file.bin', sseCustomerParams(key))).encryption.mode).toBe(
      'sse-c',
    )
    const target = await mkdtemp(join(tmpdir(), 'obs-sync-dl-'))
    await expect(
      downloadObject(s3, { bucket, key: 'ssec/file.bin', targetDir: target }),
    ).rejects.toMatchObject({
      code: 'SSE_C_KEY_REQUIRED',
    })
    const result = await downloadObject(s3, {
      bucket,
      key: 'ssec/file.bin',
      targetDir: target,
      sseC: sseCustomerParams(key),
    })
    expect((await readFile(result.path)).equals(data)).toBe(true)
  })

  it('downloads into the chosen folder and verifies our SHA-256', async () => {
    const { createHash } = await import('node:crypto')
    const data = randomBytes(100_000)
    const sha = createHash('sha256').update(data).digest('hex')
    await put(bucket, 'dl/nested/file.bin', data, { Metadata: { sha256: sha } })
    const target = await mkdtemp(join(tmpdir(), 'obs-sync-dl-'))
    const result = await downloadObject(await client(), {
      bucket,
      key: 'dl/nested/file.bin',
      targetDir: target,
    })
    expect(result).toMatchObject({
      path: join(target, 'dl/nested/file.bin'),
      size: data.length,
      sha256: sha,
      verified: true,
    })
    expect((await readFile(result.path)).equals(data)).toBe(true)
  })

  it('refuses object keys that would escape the download folder, writing nothing', async () => {
    const evil = ['../escape.txt', 'a/../../escape.txt', '..\\escape.txt', 'a/./b.txt', 'CON', 'dir/NUL.txt']
    for (const key of evil) await put(bucket, `${key}`, 'evil')
    const parent = await mkdtemp(join(tmpdir(), 'obs-sync-dl-'))
    const target = join(parent, 'target')
    for (const key of evil) {
      await expect(
        downloadObject(await client(), { bucket, key, targetDir: target }),
        key,
      ).rejects.toMatchObject({
        code: 'UNSAFE_PATH',
      })
    }
    expect(await readdir(parent)).toEqual([])
    expect(existsSync(join(tmpdir(), 'escape.txt'))).toBe(false)
  })

  it('share links work for an unencrypted object and are refused for encrypted ones, with the reason', async () => {
    await put(bucket, 'share/plain.txt', 'share me')
    await put(bucket, 'share/kms.txt', 'secret', {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: rgw.kmsKeyIds[0],
    })
    await put(bucket, 'share/ssec.txt', 'secret', sseCustomerParams(randomBytes(32).toString('base64')))
    const s3 = await client()
    const link = await createShareLink(s3, bucket, 'share/plain.txt', 3600)
    expect(link.url).toContain('X-Amz-Expires=3600')
    const fetched = await fetchWithCa(link.url)
    expect(fetched.status).toBe(200)
    expect(fetched.body.toString()).toBe('share me')
    await expect(createShareLink(s3, bucket, 'share/kms.txt', 3600)).rejects.toMatchObject({
      code: 'ENCRYPTED_NOT_SHAREABLE',
      message: expect.stringMatching(/SSE-KMS.*cannot be shared/),
    })
    await expect(createShareLink(s3, bucket, 'share/ssec.txt', 3600)).rejects.toMatchObject({
      code: 'ENCRYPTED_NOT_SHAREABLE',
    })
    await expect(createShareLink(s3, bucket, 'share/plain.txt', 30 * 24 * 3600)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
  })

  it('bucket default encryption on RGW is reported as unknown, and the bucket is untouched', async () => {
    const own = await freshBucket(rgw, 'enc')
    const answer = await bucketEncryption(await client(), own)
    expect(answer.state).toBe('unknown')
    await independentClient(rgw).send(new HeadBucketCommand({ Bucket: own }))
    await expect(bucketEncryption(await client(), 'no-such-bucket-obs-sync')).rejects.toMatchObject({
      code: 'NO_SUCH_BUCKET',
    })
  })
})
