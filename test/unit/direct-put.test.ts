import { createHash } from 'node:crypto'
import type { NodeHttpHandler } from '@smithy/node-http-handler'
import type { HttpRequest } from '@smithy/types'
import { describe, expect, it } from 'vitest'
import { createDirectPut } from '../../main/core/storage/direct-put'

/** An HTTP handler that records the request and answers with a canned status and body. */
function recordingHandler(statusCode: number, body: string, headers: Record<string, string> = {}) {
  const requests: HttpRequest[] = []
  const handler = {
    async handle(request: HttpRequest) {
      requests.push(request)
      return {
        response: {
          statusCode,
          headers,
          body: (async function* () {
            yield Buffer.from(body)
          })(),
        },
      }
    },
  }
  return { requests, handler: handler as unknown as NodeHttpHandler }
}

const content = Buffer.from('hello')
const input = {
  bucket: 'photos',
  key: "2026/a b+c'(1)*!.jpg",
  body: content,
  md5Base64: createHash('md5').update(content).digest('base64'),
  sha256Hex: createHash('sha256').update(content).digest('hex'),
  metadata: { sha256: 'abc' },
  contentType: 'image/jpeg',
  sse: { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: 'key-1' },
}
const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK' }

describe('the direct PUT request', () => {
  it('is virtual-hosted by default (OBS refuses path-style) with S3 key encoding and every header signed', async () => {
    const { requests, handler } = recordingHandler(200, '', { etag: '"e1"' })
    const put = await createDirectPut({
      endpoint: 'https://obs.eu-de.otc.t-systems.com',
      region: 'eu-de',
      pathStyle: false,
      credentials,
      handler,
    })
    expect(await put(input)).toEqual({ etag: '"e1"', encryption: {} })
    const [request] = requests
    expect(request).toMatchObject({
      method: 'PUT',
      protocol: 'https:',
      hostname: 'photos.obs.eu-de.otc.t-systems.com',
      path: '/2026/a%20b%2Bc%27%281%29%2A%21.jpg',
    })
    const headers = request?.headers ?? {}
    expect(headers).toMatchObject({
      host: 'photos.obs.eu-de.otc.t-systems.com',
      'content-length': '5',
      'content-md5': input.md5Base64,
      'x-amz-content-sha256': input.sha256Hex,
      'x-amz-meta-sha256': 'abc',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'key-1',
    })
    const signed = /SignedHeaders=([^,]+)/.exec(headers.authorization ?? '')?.[1]?.split(';')
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/eu-de\/s3\/aws4_request, /)
    expect(signed).toEqual(
      expect.arrayContaining([
        'host',
        'content-md5',
        'x-amz-content-sha256',
        'x-amz-date',
        'x-amz-meta-sha256',
      ]),
    )
    expect(signed).toEqual(
      expect.arrayContaining(['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id']),
    )
  })

  it('is path-style under the endpoint path when asked, with the port in the host header', async () => {
    const { requests, handler } = recordingHandler(200, '')
    const put = await createDirectPut({
      endpoint: 'https://127.0.0.1:7480/s3/',
      region: 'us-east-1',
      pathStyle: true,
      credentials,
      handler,
    })
    await put({ ...input, key: 'dir/x.txt' })
    expect(requests[0]).toMatchObject({ hostname: '127.0.0.1', port: 7480, path: '/s3/photos/dir/x.txt' })
    expect(requests[0]?.headers.host).toBe('127.0.0.1:7480')
  })

  it('throws S3 errors in the SDK shape, code and message from the XML body', async () => {
    const xml =
      '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>The bucket &quot;photos&quot; does not exist</Message></Error>'
    const { handler } = recordingHandler(404, xml, { 'x-amz-request-id': 'r1' })
    const put = await createDirectPut({
      endpoint: 'https://s3.example',
      region: 'r',
      pathStyle: true,
      credentials,
      handler,
    })
    await expect(put(input)).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: 'The bucket "photos" does not exist',
      $metadata: { httpStatusCode: 404, requestId: 'r1' },
    })
    const empty = recordingHandler(503, '')
    const put503 = await createDirectPut({
      endpoint: 'https://s3.example',
      region: 'r',
      pathStyle: true,
      credentials,
      handler: empty.handler,
    })
    await expect(put503(input)).rejects.toMatchObject({ name: 'HTTP 503', $fault: 'server' })
  })
})

/** Reads the body the handler would send, whatever its shape (one buffer or a stream of pieces). */
async function bodyOf(request: HttpRequest | undefined): Promise<Buffer[]> {
  const body = request?.body as Buffer | AsyncIterable<Buffer> | undefined
  if (body === undefined) return []
  if (Buffer.isBuffer(body)) return [body]
  const pieces: Buffer[] = []
  for await (const piece of body) pieces.push(piece)
  return pieces
}

describe('one PUT for every single-request upload', () => {
  const options = (handler: NodeHttpHandler) => ({
    endpoint: 'https://obs.eu-de.otc.t-systems.com',
    region: 'eu-de',
    pathStyle: false,
    credentials,
    handler,
  })

  it('carries SSE-C: algorithm, key and key MD5 signed with the rest', async () => {
    const { requests, handler } = recordingHandler(200, '')
    const put = await createDirectPut(options(handler))
    const sse = { SSECustomerAlgorithm: 'AES256' as const, SSECustomerKey: 'a2V5', SSECustomerKeyMD5: 'bWQ1' }
    await put({ ...input, sse })
    const headers = requests[0]?.headers ?? {}
    expect(headers).toMatchObject({
      'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      'x-amz-server-side-encryption-customer-key': 'a2V5',
      'x-amz-server-side-encryption-customer-key-md5': 'bWQ1',
      'content-type': 'image/jpeg',
    })
    expect(headers['x-amz-server-side-encryption']).toBeUndefined()
    const signed = /SignedHeaders=([^,]+)/.exec(headers.authorization ?? '')?.[1]?.split(';')
    expect(signed).toEqual(
      expect.arrayContaining([
        'content-type',
        'x-amz-server-side-encryption-customer-algorithm',
        'x-amz-server-side-encryption-customer-key',
        'x-amz-server-side-encryption-customer-key-md5',
      ]),
    )
  })

  it('goes path-style for a bucket name that is not one DNS label (a dotted name would not match the TLS certificate)', async () => {
    const { requests, handler } = recordingHandler(200, '')
    const put = await createDirectPut(options(handler))
    await put({ ...input, bucket: 'my.dotted.bucket', key: 'a.txt' })
    expect(requests[0]).toMatchObject({
      hostname: 'obs.eu-de.otc.t-systems.com',
      path: '/my.dotted.bucket/a.txt',
    })
  })

  it('sends a larger body from memory in 1 MiB pieces, each throttled, with progress, and nothing else read', async () => {
    const { requests, handler } = recordingHandler(200, '')
    const put = await createDirectPut(options(handler))
    const body = Buffer.alloc(2.5 * 1024 * 1024, 7)
    const throttled: number[] = []
    const progress: number[] = []
    await put({
      ...input,
      body,
      throttle: async (bytes) => {
        throttled.push(bytes)
      },
      onProgress: (sent) => progress.push(sent),
    })
    expect(requests[0]?.headers['content-length']).toBe(String(body.length))
    const pieces = await bodyOf(requests[0])
    expect(pieces.map((p) => p.length)).toEqual([1048576, 1048576, 524288])
    expect(Buffer.concat(pieces).equals(body)).toBe(true)
    expect(throttled).toEqual([1048576, 1048576, 524288])
    expect(progress.at(-1)).toBe(body.length)
  })

  it('a small body is one write, throttled once before the request', async () => {
    const { requests, handler } = recordingHandler(200, '')
    const put = await createDirectPut(options(handler))
    const throttled: number[] = []
    await put({ ...input, throttle: async (bytes) => void throttled.push(bytes) })
    expect(Buffer.isBuffer(requests[0]?.body)).toBe(true)
    expect(throttled).toEqual([content.length])
  })

  it.each([
    [
      'S3 names',
      {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'key-1',
      },
    ],
    [
      'OBS names',
      { 'x-obs-server-side-encryption': 'kms', 'x-obs-server-side-encryption-kms-key-id': 'key-1' },
    ],
  ])('returns what the server answered about encryption (%s)', async (_, headers) => {
    const { handler } = recordingHandler(200, '', { etag: '"e"', ...headers })
    const put = await createDirectPut(options(handler))
    expect(await put(input)).toEqual({ etag: '"e"', encryption: { algorithm: 'kms', kmsKeyId: 'key-1' } })
  })
})

describe('the direct PUT with a clock that is off', () => {
  /** A server 20 minutes behind us: refuses requests signed more than 15 minutes off its own time. */
  function skewedServer() {
    const serverNow = () => Date.now() - 20 * 60_000
    const signedAt: number[] = []
    const handler = {
      async handle(request: HttpRequest) {
        const stamp = request.headers['x-amz-date'] ?? ''
        const at = Date.parse(stamp.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z'))
        signedAt.push(at)
        const skewed = Math.abs(at - serverNow()) > 15 * 60_000
        const body = skewed ? '<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>' : ''
        return {
          response: {
            statusCode: skewed ? 403 : 200,
            headers: { date: new Date(serverNow()).toUTCString(), etag: '"ok"' },
            body: (async function* () {
              yield Buffer.from(body)
            })(),
          },
        }
      },
    }
    return { signedAt, serverNow, handler: handler as unknown as NodeHttpHandler }
  }

  it("signs again with the server's time from the Date header and succeeds, concurrent requests too", async () => {
    const server = skewedServer()
    let offset = 0
    const clock = {
      offsetMs: () => offset,
      sample: (date: string | undefined) => {
        offset = Date.parse(date ?? '') - Date.now()
      },
    }
    const options = { endpoint: 'https://s3.example', region: 'r', pathStyle: true, credentials, clock }
    const put = await createDirectPut({ ...options, handler: server.handler })
    // Two at once: both are refused before either learnt the offset; both must retry.
    const answers = await Promise.all([put(input), put(input)])
    expect(answers.map((a) => a.etag)).toEqual(['"ok"', '"ok"'])
    expect(server.signedAt).toHaveLength(4)
    expect(Math.abs(server.signedAt[3]! - server.serverNow())).toBeLessThan(5000)
    // Later requests are signed right the first time.
    await put(input)
    expect(server.signedAt).toHaveLength(5)
  })

  it('without a clock the refusal is thrown as it is (classified CLOCK_SKEW with the offset)', async () => {
    const server = skewedServer()
    const put = await createDirectPut({
      endpoint: 'https://s3.example',
      region: 'r',
      pathStyle: true,
      credentials,
      handler: server.handler,
    })
    const error = await put(input).catch((e) => e)
    expect(error.name).toBe('RequestTimeTooSkewed')
    expect(error.$response.headers.date).toBeTruthy()
  })
})
