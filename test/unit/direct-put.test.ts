import { createHash } from 'node:crypto'
import type { S3Client } from '@aws-sdk/client-s3'
import type { NodeHttpHandler } from '@smithy/node-http-handler'
import type { HttpRequest } from '@smithy/types'
import { describe, expect, it } from 'vitest'
import { createDirectPut, directPutFor, registerDirectPut } from '../../main/core/storage/direct-put'

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
    expect(await put(input)).toEqual({ etag: '"e1"' })
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

describe('which PUTs go direct', () => {
  it('plain, SSE-OBS and SSE-KMS PUTs to DNS-label buckets; SSE-C and other bucket names stay with the SDK', () => {
    const s3 = {} as S3Client
    const put = async () => ({})
    registerDirectPut(s3, put)
    expect(directPutFor(s3, { bucket: 'my-bucket-1', sse: {} })).toBe(put)
    expect(directPutFor(s3, { bucket: 'my-bucket-1', sse: { ServerSideEncryption: 'AES256' } })).toBe(put)
    expect(directPutFor(s3, { bucket: 'my.dotted.bucket', sse: {} })).toBeUndefined()
    expect(directPutFor(s3, { bucket: 'Upper_Case', sse: {} })).toBeUndefined()
    expect(
      directPutFor(s3, {
        bucket: 'my-bucket-1',
        sse: { SSECustomerAlgorithm: 'AES256', SSECustomerKey: 'k' },
      }),
    ).toBeUndefined()
    expect(directPutFor({} as S3Client, { bucket: 'my-bucket-1', sse: {} })).toBeUndefined()
  })
})
