import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { sseWriteParams } from '../../main/core/encryption/sse-headers'
import { uploadFile } from '../../main/core/storage/upload-file'
import { appConnection, freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

describe('objects are stored with the Content-Type of their name (checked with an independent HEAD)', () => {
  let bucket: string
  let dir: string
  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'ctype')
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-ctype-'))
  })
  const connect = () => appConnection(rgw)
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
    const path = join(dir, name)
    await writeFile(path, randomBytes(2048))
    await uploadFile(await connect(), {
      bucket,
      key: `single/${name}`,
      filePath: path,
      sse: sseWriteParams({ mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] }),
    })
    expect(await headType(`single/${name}`)).toBe(type)
  })

  it('multipart: a 20 MiB .mp4 is stored as video/mp4', async () => {
    const path = join(dir, 'clip.mp4')
    await writeFile(path, randomBytes(20 * 1024 * 1024))
    const result = await uploadFile(await connect(), {
      bucket,
      key: 'multipart/clip.mp4',
      filePath: path,
      sse: sseWriteParams({ mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] }),
      multipartThreshold: 16 * 1024 * 1024,
      partSize: 8 * 1024 * 1024,
    })
    expect(result.multipart).toBe(true)
    expect(await headType('multipart/clip.mp4')).toBe('video/mp4')
  })
})
