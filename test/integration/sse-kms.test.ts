import { randomBytes } from 'node:crypto'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createS3Client } from '../../main/core/storage/s3-client'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

describe('SSE-KMS against the harness Ceph RGW over TLS', () => {
  let bucket: string
  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'sse-kms')
  })

  async function appClient(endpoint = rgw.httpsEndpoint) {
    const { s3 } = await createS3Client(
      { endpoint, region: rgw.region, addressing: 'path', caFile: rgw.caFile },
      { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    )
    return s3
  }

  it('the harness gives at least three KMS keys, one of them UUID-style', () => {
    expect(rgw.kmsKeyIds.length).toBeGreaterThanOrEqual(3)
    expect(
      rgw.kmsKeyIds.some((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true)
    expect(rgw.httpsEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it.each(rgw.kmsKeyIds)(
    'uploads with key %s; HEAD by another client shows aws:kms and the key',
    async (keyId) => {
      const body = randomBytes(64 * 1024)
      const key = `kms/${keyId}/object.bin`
      const client = await appClient()
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: keyId,
        }),
      )
      const reader = independentClient(rgw)
      const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      expect(head.ServerSideEncryption).toBe('aws:kms')
      expect(head.SSEKMSKeyId).toBe(keyId)
      const got = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true)
    },
  )

  it('the same SSE-KMS request over plain HTTP is refused by the app before sending, and by the server', async () => {
    const request = () =>
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms/over-http.bin',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: rgw.kmsKeyIds[0],
      })
    const client = await appClient(rgw.httpEndpoint)
    await expect(client.send(request())).rejects.toMatchObject({ code: 'HTTPS_REQUIRED' })
    // A client without the app's guard gets the server's own refusal (rgw crypt require ssl, as OBS does).
    await expect(independentClient(rgw, rgw.httpEndpoint).send(request())).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    })
    await expect(
      independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms/over-http.bin' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } })
  })

  it('a client that does not trust the run CA cannot talk to the endpoint (TLS is verified)', async () => {
    const { s3: client } = await createS3Client(
      { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path' },
      { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    )
    await expect(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'x' }))).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    )
  })
})
