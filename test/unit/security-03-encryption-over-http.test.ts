// Finding #3 (Medium): the SSE-C key went in clear over http:// on downloads and object details. Every request
// that would carry an SSE-C key or ask for SSE-KMS over plain HTTP is refused before anything is sent, reads
// included, with the same message as uploads; an account with a non-loopback http:// endpoint is warned.

import { mkdtemp } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertTransportAllows } from '../../main/core/encryption/resolve-encryption'
import { sseCustomerParams } from '../../main/core/encryption/sse-headers'
import { downloadObject } from '../../main/core/storage/download-object'
import { objectDetails } from '../../main/core/storage/object-details'
import { createS3Client } from '../../main/core/storage/s3-client'
import { plainHttpWarning } from '../../preload/contract'

let server: Server
let endpoint: string
const received: string[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url} ${Object.keys(req.headers).join(',')}`)
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => server.close())

const sseC = sseCustomerParams(Buffer.alloc(32, 7).toString('base64'))
const client = async () =>
  (
    await createS3Client(
      { endpoint, region: 'us-east-1', addressing: 'path' },
      { accessKeyId: 'AK', secretAccessKey: 'SK' },
    )
  ).s3
/** The upload refusal's words (resolve-encryption.ts) for an endpoint. */
function uploadRefusal(at: string): string {
  try {
    assertTransportAllows({ mode: 'sse-c', customerKeyName: 'k' }, at)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('uploads over http are not refused')
}

describe('#3 SSE-C and SSE-KMS are refused over plain HTTP, reads included', () => {
  it('download with an SSE-C key: refused, nothing sent', async () => {
    received.length = 0
    const targetDir = await mkdtemp(join(tmpdir(), 'obs-sync-dl-'))
    await expect(
      downloadObject(await client(), { bucket: 'b', key: 'k', targetDir, sseC }),
    ).rejects.toMatchObject({
      code: 'HTTPS_REQUIRED',
      message: expect.stringMatching(/SSE-C needs an HTTPS endpoint.*nothing was sent/),
    })
    expect(received).toEqual([])
  })

  it('object details with an SSE-C key: refused, nothing sent', async () => {
    received.length = 0
    await expect(objectDetails(await client(), 'b', 'k', sseC)).rejects.toMatchObject({
      code: 'HTTPS_REQUIRED',
    })
    expect(received).toEqual([])
  })

  it('any HEAD, GET or PUT through the app’s client that carries an SSE-C key or asks for SSE-KMS', async () => {
    received.length = 0
    const s3 = await client()
    for (const command of [
      new HeadObjectCommand({ Bucket: 'b', Key: 'k', ...sseC }),
      new GetObjectCommand({ Bucket: 'b', Key: 'k', ...sseC }),
      new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms' }),
    ])
      await expect(s3.send(command as never)).rejects.toMatchObject({
        code: 'HTTPS_REQUIRED',
        message: expect.stringContaining('needs an HTTPS endpoint'),
      })
    expect(received).toEqual([])
    // A plain read over HTTP is still allowed (a local test server without encryption).
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    })
    expect(received).toHaveLength(1)
  })

  it('the refusal of reads uses the same words as the refusal of uploads', async () => {
    const error = await objectDetails(await client(), 'b', 'k', sseC).catch((e: Error) => e)
    expect((error as Error).message).toBe(uploadRefusal(endpoint))
  })

  it('an account with a non-loopback http:// endpoint gets a warning; https and loopback do not', () => {
    expect(plainHttpWarning('http://s3.example.com:7480')).toMatch(/SSE-KMS and SSE-C will be refused/)
    expect(plainHttpWarning('https://s3.example.com')).toBeUndefined()
    expect(plainHttpWarning('http://127.0.0.1:9000')).toBeUndefined()
    expect(plainHttpWarning('http://localhost:9000')).toBeUndefined()
    expect(plainHttpWarning('http://[::1]:9000')).toBeUndefined()
  })
})
