import { createHash, randomBytes } from 'node:crypto'
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { resolveEncryption } from '../../main/core/encryption/resolve-encryption'
import { sseCustomerParams, sseWriteParams } from '../../main/core/encryption/sse-headers'
import { createS3Client } from '../../main/core/storage/s3-client'
import { uploadFile } from '../../main/core/storage/upload-file'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

async function readBack(bucket: string, key: string, sseC = {}) {
  const reader = independentClient(rgw)
  const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...sseC }))
  const got = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...sseC }))
  return { head, body: Buffer.from(await got.Body!.transformToByteArray()) }
}

describe('uploads with server-side encryption, read back by an independent client', () => {
  let bucket: string
  let dir: string
  const client = () =>
    createS3Client(
      { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path', caFile: rgw.caFile },
      { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    )

  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'upload')
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-upload-'))
  })

  async function localFile(name: string, size: number) {
    const data = randomBytes(size)
    const path = join(dir, name)
    await writeFile(path, data)
    return { path, data }
  }

  it.each(rgw.kmsKeyIds)(
    'single PUT with SSE-KMS key %s: same bytes, aws:kms with the key, our SHA-256',
    async (keyId) => {
      const { path, data } = await localFile(`kms-${keyId}.bin`, 300 * 1024)
      const resolved = resolveEncryption({ explicit: { mode: 'sse-kms', keyId } }, rgw.httpsEndpoint)
      const result = await uploadFile(await client(), {
        bucket,
        key: `single/${keyId}.bin`,
        filePath: path,
        sse: sseWriteParams(resolved.choice),
      })
      expect(result).toMatchObject({ multipart: false, size: data.length, sha256: sha256(data) })
      const { head, body } = await readBack(bucket, `single/${keyId}.bin`)
      expect(body.equals(data)).toBe(true)
      expect(head.ServerSideEncryption).toBe('aws:kms')
      expect(head.SSEKMSKeyId).toBe(keyId)
      expect(head.Metadata?.sha256).toBe(sha256(data))
    },
  )

  it.each([
    ['16 KiB, SSE-KMS', 16 * 1024, 'kms'],
    ['10 MiB, SSE-KMS', 10 * 1024 * 1024, 'kms'],
    ['1 MiB + 1, SSE-C', 1024 * 1024 + 1, 'sse-c'],
  ] as const)(
    "a single-request upload (%s) is one signed PUT through the client's own PUT, no SDK command, same result",
    async (_, size, mode) => {
      const connection = await client()
      const commands: string[] = []
      connection.s3.middlewareStack.add(
        (next, context) => (args) => {
          commands.push(String(context.commandName))
          return next(args)
        },
        { step: 'initialize', name: 'seeCommands' },
      )
      let puts = 0
      const putObject = connection.putObject
      const customerKey = randomBytes(32).toString('base64')
      const { path, data } = await localFile(`direct-${size}.bin`, size)
      const key = `direct/${size}.bin`
      const result = await uploadFile(
        {
          ...connection,
          putObject: (input) => {
            puts++
            return putObject(input)
          },
        },
        {
          bucket,
          key,
          filePath: path,
          contentType: 'application/x-test',
          sse:
            mode === 'kms'
              ? sseWriteParams({ mode: 'sse-kms', keyId: rgw.kmsKeyIds[1] })
              : sseWriteParams({ mode: 'sse-c', customerKeyName: 'k' }, { customerKey }),
        },
      )
      expect(commands).toEqual([])
      expect(puts).toBe(1)
      const { head, body } = await readBack(bucket, key, mode === 'kms' ? {} : sseCustomerParams(customerKey))
      expect(body.equals(data)).toBe(true)
      expect(result.etag).toBe(head.ETag)
      expect(head).toMatchObject({ ContentType: 'application/x-test', Metadata: { sha256: sha256(data) } })
      if (mode === 'kms')
        expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: rgw.kmsKeyIds[1] })
      else expect(head.SSECustomerAlgorithm).toBe('AES256')
    },
  )

  it('a 20 MB multipart upload with SSE-KMS: parts with Content-MD5, same bytes, key and SHA-256', async () => {
    const { path, data } = await localFile('big.bin', 20 * 1024 * 1024)
    const progress: number[] = []
    const result = await uploadFile(await client(), {
      bucket,
      key: 'multipart/big.bin',
      filePath: path,
      sse: sseWriteParams({ mode: 'sse-kms', keyId: rgw.kmsKeyIds[1] }),
      multipartThreshold: 8 * 1024 * 1024,
      partSize: 5 * 1024 * 1024,
      onProgress: (sent) => progress.push(sent),
    })
    expect(result.multipart).toBe(true)
    expect(result.etag).toBeTruthy()
    expect(progress.at(-1)).toBe(data.length)
    const { head, body } = await readBack(bucket, 'multipart/big.bin')
    expect(body.equals(data)).toBe(true)
    expect(head.ServerSideEncryption).toBe('aws:kms')
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[1])
    expect(head.Metadata?.sha256).toBe(sha256(data))
  })

  it('SSE-C single and multipart: readable only with the customer key', async () => {
    const customerKey = randomBytes(32).toString('base64')
    const sse = sseWriteParams({ mode: 'sse-c', customerKeyName: 'mine' }, { customerKey })
    const small = await localFile('ssec-small.bin', 10_000)
    const large = await localFile('ssec-large.bin', 11 * 1024 * 1024)
    const s3 = await client()
    await uploadFile(s3, { bucket, key: 'ssec/small.bin', filePath: small.path, sse })
    await uploadFile(s3, {
      bucket,
      key: 'ssec/large.bin',
      filePath: large.path,
      sse,
      multipartThreshold: 5 * 1024 * 1024,
      partSize: 5 * 1024 * 1024,
    })
    const withKey = sseCustomerParams(customerKey)
    for (const [key, data] of [
      ['ssec/small.bin', small.data],
      ['ssec/large.bin', large.data],
    ] as const) {
      const { head, body } = await readBack(bucket, key, withKey)
      expect(body.equals(data)).toBe(true)
      expect(head.SSECustomerAlgorithm).toBe('AES256')
      await expect(
        independentClient(rgw).send(new GetObjectCommand({ Bucket: bucket, Key: key })),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } })
    }
  })

  it('an unknown KMS key id fails with a message naming the key, and stores nothing', async () => {
    const { path } = await localFile('unknown-key.bin', 1000)
    const upload = uploadFile(await client(), {
      bucket,
      key: 'kms/unknown.bin',
      filePath: path,
      sse: sseWriteParams({ mode: 'sse-kms', keyId: 'no-such-key' }),
    })
    await expect(upload).rejects.toMatchObject({
      code: 'KMS_KEY_NOT_FOUND',
      message: expect.stringContaining('no-such-key'),
    })
    await expect(
      independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms/unknown.bin' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } })
  })

  it('SSE-KMS to the plain-HTTP endpoint is refused by the app before anything is sent', async () => {
    expect(() =>
      resolveEncryption({ explicit: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] } }, rgw.httpEndpoint),
    ).toThrow(expect.objectContaining({ code: 'HTTPS_REQUIRED' }))
    expect(() =>
      resolveEncryption({ explicit: { mode: 'sse-c', customerKeyName: 'k' } }, rgw.httpEndpoint),
    ).toThrow(expect.objectContaining({ code: 'HTTPS_REQUIRED' }))
  })

  it('unicode and odd keys round-trip exactly', async () => {
    const keys = [
      'ünïcødé/文件 名.txt',
      'emoji/😀 smile.bin',
      'chars/a+b=c&d;e,f@g$h.txt',
      'chars/percent%20encoded%2F.txt',
      'chars/hash#question?.txt',
      'spaces/  leading and trailing  ',
      'deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.txt',
      'quotes/\'single\' "double".txt',
    ]
    const s3 = await client()
    for (const [i, key] of keys.entries()) {
      const { path, data } = await localFile(`odd-${i}.bin`, 100 + i)
      await uploadFile(s3, {
        bucket,
        key,
        filePath: path,
        sse: sseWriteParams({ mode: 'sse-kms', keyId: rgw.kmsKeyIds[2] }),
      })
      const { body, head } = await readBack(bucket, key)
      expect(body.equals(data), key).toBe(true)
      expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[2])
    }
  })

  it('wrong credentials and a missing bucket are named', async () => {
    const wrong = await createS3Client(
      { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path', caFile: rgw.caFile },
      { accessKeyId: rgw.accessKeyId, secretAccessKey: 'wrong-secret-0000000000000000000000000000' },
    )
    const { path } = await localFile('creds.bin', 10)
    await expect(uploadFile(wrong, { bucket, key: 'x', filePath: path, sse: {} })).rejects.toMatchObject({
      code: 'BAD_CREDENTIALS',
    })
    await expect(
      uploadFile(await client(), { bucket: 'no-such-bucket-obs-sync', key: 'x', filePath: path, sse: {} }),
    ).rejects.toMatchObject({ code: 'NO_SUCH_BUCKET' })
  })

  it('another user without rights on the bucket gets ACCESS_DENIED', async () => {
    const other = await createS3Client(
      { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path', caFile: rgw.caFile },
      { accessKeyId: rgw.otherAccessKeyId, secretAccessKey: rgw.otherSecretAccessKey },
    )
    const { path } = await localFile('denied.bin', 10)
    await expect(uploadFile(other, { bucket, key: 'x', filePath: path, sse: {} })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    })
  })

  // With and without the size the queue expects: small files are looked at synchronously (source-file.ts).
  it.each([undefined, 10])(
    'a vanished or unreadable source is reported, not uploaded (expected size %s)',
    async (expectedSize) => {
      await expect(
        uploadFile(await client(), {
          bucket,
          key: 'gone',
          filePath: join(dir, 'does-not-exist'),
          sse: {},
          expectedSize,
        }),
      ).rejects.toMatchObject({ code: 'SOURCE_GONE' })
      await expect(
        uploadFile(await client(), { bucket, key: 'dir', filePath: dir, sse: {}, expectedSize }),
      ).rejects.toMatchObject({
        code: 'SOURCE_UNREADABLE',
      })
      await expect(
        independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: 'gone' })),
      ).rejects.toThrow()
    },
  )

  it('a small file that changes during its upload is reported changed, so the queue sends it again', async () => {
    const { path, data } = await localFile('changing-small.txt', 16 * 1024)
    await expect(
      uploadFile(await client(), {
        bucket,
        key: 'changing-small.txt',
        filePath: path,
        sse: {},
        expectedSize: data.length,
        // Runs after the file was read, before its bytes are sent: the moment a writer would strike.
        throttle: () => appendFile(path, 'one more line'),
      }),
    ).rejects.toMatchObject({ code: 'SOURCE_CHANGED' })
  })
})
