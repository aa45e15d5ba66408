import { createHash } from 'node:crypto'
import { Agent } from 'node:http'
import { connect } from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { BODY_PIECE_BYTES } from '../../main/core/storage/body-in-pieces'
import { createDirectPut } from '../../main/core/storage/direct-put'
import { createSignedRequests, type SignedRequestOptions } from '../../main/core/storage/signed-request'
import { HOLD, recordingServer } from '../support/recording-server'

/** The connection's PUT as s3-client.ts builds it: on the signed requests of `options`. */
const directPut = async (options: SignedRequestOptions) =>
  createDirectPut(await createSignedRequests(options))

const canned = (statusCode: number, body = '', headers: Record<string, string> = {}) =>
  recordingServer(() => ({ statusCode, body, headers }))

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
/** The PUT of a path-style test endpoint on `agents` (the address does not matter: the agents pick the server). */
const testPut = (agents: SignedRequestOptions['agents']) =>
  directPut({ endpoint: 'https://s3.example', region: 'r', pathStyle: true, credentials, agents })

describe('the direct PUT request', () => {
  it('is virtual-hosted by default (OBS refuses path-style) with S3 key encoding and every header signed', async () => {
    const { requests, agents } = await canned(200, '', { etag: '"e1"' })
    const put = await directPut({
      endpoint: 'https://obs.eu-de.otc.t-systems.com',
      region: 'eu-de',
      pathStyle: false,
      credentials,
      agents,
    })
    expect(await put(input)).toEqual({ etag: '"e1"', encryption: {} })
    const [request] = requests
    expect(request).toMatchObject({
      method: 'PUT',
      host: 'photos.obs.eu-de.otc.t-systems.com',
      path: '/2026/a%20b%2Bc%27%281%29%2A%21.jpg',
    })
    expect(request?.body.equals(content)).toBe(true)
    const headers = request?.headers ?? {}
    expect(headers).toMatchObject({
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
    const { requests, agents } = await canned(200)
    const put = await directPut({
      endpoint: 'http://127.0.0.1:7480/s3/',
      region: 'us-east-1',
      pathStyle: true,
      credentials,
      agents,
    })
    await put({ ...input, key: 'dir/x.txt' })
    expect(requests[0]).toMatchObject({ host: '127.0.0.1:7480', path: '/s3/photos/dir/x.txt' })
  })

  it('throws S3 errors in the SDK shape, code and message from the XML body', async () => {
    const xml =
      '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>The bucket &quot;photos&quot; does not exist</Message></Error>'
    const { agents } = await canned(404, xml, { 'x-amz-request-id': 'r1' })
    const options = { endpoint: 'https://s3.example', region: 'r', pathStyle: true, credentials, agents }
    const put = await directPut(options)
    await expect(put(input)).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: 'The bucket "photos" does not exist',
      $metadata: { httpStatusCode: 404, requestId: 'r1' },
    })
    const empty = await canned(503)
    const put503 = await directPut({ ...options, agents: empty.agents })
    await expect(put503(input)).rejects.toMatchObject({ name: 'HTTP 503', $fault: 'server' })
  })

  it('a network failure is thrown as Node gives it (classified NETWORK), and an abort ends the request', async () => {
    const refused = new Agent()
    Object.assign(refused, { protocol: 'https:', createConnection: () => connect(1, '127.0.0.1') })
    const put = await testPut({ httpsAgent: refused, httpAgent: refused })
    await expect(put(input)).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    const { agents } = await recordingServer(() => ({ statusCode: 200 }))
    const aborted = await testPut(agents)
    await expect(aborted({ ...input, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    })
  })
})

describe('a PUT aborted while it waits for the answer', () => {
  it('ends at once with an AbortError and its connection is closed; a later abort of the same signal is harmless', async () => {
    const stalled = await recordingServer(() => HOLD)
    const controller = new AbortController()
    const answer = (await testPut(stalled.agents))({ ...input, signal: controller.signal })
    await vi.waitFor(() => expect(stalled.requests).toHaveLength(1))
    controller.abort()
    await expect(answer).rejects.toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(stalled.closedConnections()).toBe(1))

    // A request that was answered lets its signal go: aborting it afterwards touches nothing.
    const answered = new AbortController()
    const done = await testPut((await recordingServer(() => ({ statusCode: 200 }))).agents)
    await expect(done({ ...input, signal: answered.signal })).resolves.toMatchObject({ encryption: {} })
    expect(() => answered.abort()).not.toThrow()
  })
})

describe('one PUT for every single-request upload', () => {
  const options = (agents: Awaited<ReturnType<typeof canned>>['agents']) => ({
    endpoint: 'https://obs.eu-de.otc.t-systems.com',
    region: 'eu-de',
    pathStyle: false,
    credentials,
    agents,
  })

  it('carries SSE-C: algorithm, key and key MD5 signed with the rest', async () => {
    const { requests, agents } = await canned(200)
    const put = await directPut(options(agents))
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
    const { requests, agents } = await canned(200)
    const put = await directPut(options(agents))
    await put({ ...input, bucket: 'my.dotted.bucket', key: 'a.txt' })
    expect(requests[0]).toMatchObject({
      host: 'obs.eu-de.otc.t-systems.com',
      path: '/my.dotted.bucket/a.txt',
    })
  })

  it('sends a larger body from memory in pieces (the one piece size of body-in-pieces.ts), each throttled, with progress, and nothing else read', async () => {
    const { requests, agents } = await canned(200)
    const put = await directPut(options(agents))
    const body = Buffer.alloc(2.5 * BODY_PIECE_BYTES, 7)
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
    expect(requests[0]?.body.equals(body)).toBe(true)
    expect(throttled).toEqual([BODY_PIECE_BYTES, BODY_PIECE_BYTES, BODY_PIECE_BYTES / 2])
    expect(progress).toEqual([0, BODY_PIECE_BYTES, 2 * BODY_PIECE_BYTES, body.length, body.length])
  })

  it('a small body is throttled once, before the request', async () => {
    const { requests, agents } = await canned(200)
    const put = await directPut(options(agents))
    const throttled: number[] = []
    await put({ ...input, throttle: async (bytes) => void throttled.push(bytes) })
    expect(requests[0]?.body.equals(content)).toBe(true)
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
    const { agents } = await canned(200, '', { etag: '"e"', ...headers })
    const put = await directPut(options(agents))
    expect(await put(input)).toEqual({ etag: '"e"', encryption: { algorithm: 'kms', kmsKeyId: 'key-1' } })
  })
})

describe('the direct PUT with a clock that is off', () => {
  /** A server 20 minutes behind us: refuses requests signed more than 15 minutes off its own time. */
  async function skewedServer() {
    const serverNow = () => Date.now() - 20 * 60_000
    const signedAt: number[] = []
    const { agents } = await recordingServer((request) => {
      const stamp = String(request.headers['x-amz-date'] ?? '')
      const at = Date.parse(stamp.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z'))
      signedAt.push(at)
      const skewed = Math.abs(at - serverNow()) > 15 * 60_000
      return {
        statusCode: skewed ? 403 : 200,
        headers: { date: new Date(serverNow()).toUTCString(), etag: '"ok"' },
        body: skewed ? '<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>' : '',
      }
    })
    return { signedAt, serverNow, agents }
  }

  it("signs again with the server's time from the Date header and succeeds, concurrent requests too", async () => {
    const server = await skewedServer()
    let offset = 0
    const clock = {
      offsetMs: () => offset,
      sample: (date: string | undefined) => {
        offset = Date.parse(date ?? '') - Date.now()
      },
    }
    const options = { endpoint: 'https://s3.example', region: 'r', pathStyle: true, credentials, clock }
    const put = await directPut({ ...options, agents: server.agents })
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
    const server = await skewedServer()
    const put = await testPut(server.agents)
    const error = await put(input).catch((e) => e)
    expect(error.name).toBe('RequestTimeTooSkewed')
    expect(error.$response.headers.date).toBeTruthy()
  })
})
