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

describe('objects are stored with the Content-Type of their name (checked with an independent HEAD)', () => {
  const bucket = bucketForDescribe(rgw, 'ctype')
  const dir = folderForDescribe('obs-sync-ctype')
  /** Uploads `size` random bytes as `key` with the app's own connection, SSE-KMS with the first test key. */
  async function upload(
    key: string,
    size: number,
    multipart: { multipartThreshold?: number; partSize?: number } = {},
  ) {
    const path = join(dir, key.replaceAll('/', '_'))
    await writeFile(path, randomBytes(size))
    const sse = sseWriteParams({ mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] })
    return uploadFile(await appConnection(rgw), { bucket, key, filePath: path, sse, ...multipart })
  }
  const headType = async (key: string) =>
    (await independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentType

  it.each([
    ['photo.jpg', 'image/jpeg'],
    ['diagram.png', 'image/png'],
    ['report.pdf', 'application/pdf'],
    ['index.html', 'text/html'],
    ['data.json', 'application/json'],
    ['notes.txt', 'text/plain'],
    ['Makefile', 'application/octet-stream'],
    ['archive.unknownext', 'application/octet-stream'],
  ])('single PUT: %s is stored as %s', async (name, type) => {
    await upload(`single/${name}`, 2048)
    expect(await headType(`single/${name}`)).toBe(type)
  })

  it('multipart: a 20 MiB .mp4 is stored as video/mp4', async () => {
    const result = await upload('multipart/clip.mp4', 20 * 1024 * 1024, {
      multipartThreshold: 16 * 1024 * 1024,
      partSize: 8 * 1024 * 1024,
    })
    expect(result.multipart).toBe(true)
    expect(await headType('multipart/clip.mp4')).toBe('video/mp4')
  })
})
