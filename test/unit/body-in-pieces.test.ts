import { createHash, randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { S3Client, UploadPartCommand } from '@aws-sdk/client-s3'
import type { HttpRequest } from '@smithy/types'
import { describe, expect, it } from 'vitest'
import { BODY_PIECE_BYTES, sendBodiesInPieces } from '../../main/core/storage/body-in-pieces'
import { createS3Client } from '../../main/core/storage/s3-client'

/** What reached the HTTP handler: the signed headers and the body as the socket would get it, chunk by chunk. */
interface Sent {
  headers: Record<string, string>
  chunks: Buffer[]
  streamed: boolean
}

/** An S3 client whose HTTP handler reads each request's body as a socket would and answers 200 with an ETag. */
function recordingClient() {
  const sent: Sent[] = []
  const requestHandler = {
    async handle(request: HttpRequest) {
      const body = request.body as unknown
      const chunks: Buffer[] = []
      if (body instanceof Readable) for await (const chunk of body) chunks.push(chunk as Buffer)
      else chunks.push(Buffer.from(body as Uint8Array))
      sent.push({ headers: { ...request.headers }, chunks, streamed: body instanceof Readable })
      return { response: { statusCode: 200, headers: { etag: '"p1"' }, body: Readable.from([]) } }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  }
  const s3 = new S3Client({
    endpoint: 'https://s3.example.test',
    region: 'eu-de',
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: requestHandler as never,
  })
  sendBodiesInPieces(s3)
  return { s3, sent }
}

const part = (body: Buffer) =>
  new UploadPartCommand({
    Bucket: 'b',
    Key: 'big.bin',
    UploadId: 'u1',
    PartNumber: 1,
    Body: body,
    ContentLength: body.length,
    ContentMD5: createHash('md5').update(body).digest('base64'),
  })

describe('a part held in memory goes to the socket in pieces (body-in-pieces.ts)', () => {
  it('an 8 MiB part: pieces of at most 256 KiB, the same bytes, the payload still signed with its SHA-256', async () => {
    const { s3, sent } = recordingClient()
    const body = randomBytes(8 * 1024 * 1024)
    expect((await s3.send(part(body))).ETag).toBe('"p1"')
    const [request] = sent
    expect(request?.streamed).toBe(true)
    expect(request?.chunks.length).toBe(32)
    expect(Math.max(...(request?.chunks ?? []).map((c) => c.length))).toBe(BODY_PIECE_BYTES)
    expect(Buffer.concat(request?.chunks ?? []).equals(body)).toBe(true)
    expect(request?.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'))
    expect(request?.headers['content-md5']).toBe(createHash('md5').update(body).digest('base64'))
  })

  it('a body of 256 KiB or less is written as it is', async () => {
    const { s3, sent } = recordingClient()
    await s3.send(part(randomBytes(BODY_PIECE_BYTES)))
    expect(sent[0]?.streamed).toBe(false)
  })

  it('sending the same command again sends all the bytes again (a retry after a clock correction)', async () => {
    const { s3, sent } = recordingClient()
    const body = randomBytes(1024 * 1024)
    const command = part(body)
    await s3.send(command)
    await s3.send(command)
    expect(sent.map((s) => Buffer.concat(s.chunks).equals(body))).toEqual([true, true])
  })

  it("every account's client sends its bodies in pieces", async () => {
    const { s3 } = await createS3Client(
      { endpoint: 'https://s3.example.test', region: 'eu-de', addressing: 'path' },
      { accessKeyId: 'AK', secretAccessKey: 'SK' },
    )
    expect(s3.middlewareStack.identify().some((m) => m.startsWith('obsSyncBodyInPieces'))).toBe(true)
  })
})
