import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { sseWriteParams } from '../../main/core/encryption/sse-headers'
import { uploadFile } from '../../main/core/storage/upload-file'
import { bucketForDescribe, folderForDescribe } from '../support/per-describe'
import { appConnection, independentClient } from '../support/s3'

const { rgw } = inject('services')
const MiB = 1024 * 1024
/** One upload of each kind: a single PUT and a multipart upload (above the 6 MiB threshold used here). */
const SIZES = [
  ['single PUT', 64 * 1024],
  ['multipart', 12 * MiB],
] as const

/**
 * Ceph RGW 16 accepts `x-amz-server-side-encryption: AES256`, stores the object in plaintext and answers no
 * encryption header (TOOLCHAIN.md): the real case of an encryption asked for and not applied.
 */
describe('uploads are verified on the server answer, not on the request', () => {
  const bucket = bucketForDescribe(rgw, 'verify')
  const dir = folderForDescribe('obs-sync-verify')
  const connect = () => appConnection(rgw)
  async function file(name: string, size: number) {
    const path = join(dir, name)
    await writeFile(path, randomBytes(size))
    return path
  }
  const upload = async (key: string, size: number, sse: Parameters<typeof sseWriteParams>[0]) =>
    uploadFile(await connect(), {
      bucket,
      key,
      filePath: await file(key.replaceAll('/', '_'), size),
      sse: sseWriteParams(sse, { customerKey: randomBytes(32).toString('base64') }),
      multipartThreshold: 6 * MiB,
      partSize: 5 * MiB,
    })

  it.each([
    ['single PUT', 64 * 1024],
    ['multipart (CompleteMultipartUpload answers nothing: a HEAD decides)', 12 * MiB],
  ])('SSE-OBS/SSE-S3 (AES256), stored in plaintext by RGW: ENCRYPTION_NOT_APPLIED (%s)', async (_, size) => {
    const key = `aes256/${size}.bin`
    await expect(upload(key, size, { mode: 'sse-obs' })).rejects.toMatchObject({
      code: 'ENCRYPTION_NOT_APPLIED',
      message: expect.stringMatching(/AES256.*confirmed no encryption/),
    })
    // What the server did, seen by another client: the object is there, unencrypted, as the message says.
    const head = await independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    expect(head.ServerSideEncryption).toBeUndefined()
  })

  it.each(SIZES)('SSE-KMS with testkey-1 is confirmed (%s)', async (_, size) => {
    const result = await upload(`kms/${size}.bin`, size, { mode: 'sse-kms', keyId: 'testkey-1' })
    expect(result.size).toBe(size)
  })

  it.each(SIZES)('SSE-C is confirmed by the key MD5 the server answers (%s)', async (_, size) => {
    const result = await upload(`ssec/${size}.bin`, size, { mode: 'sse-c', customerKeyName: 'k' })
    expect(result.size).toBe(size)
  })
})
