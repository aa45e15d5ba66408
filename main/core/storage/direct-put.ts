import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import type { HttpRequest, SourceData } from '@smithy/types'
import type { SseWriteParams } from '../encryption/sse-headers'
import { type StoredEncryption, storedEncryptionFromHeaders } from '../encryption/verify-encryption'
import { signerSdk } from '../sdk'
import { type ClientClock, isClockSkewError } from './clock-skew'

/** One single-request upload of bytes read once (see uploadFile): hashed in that read, sent from the same memory. */
export interface PutObjectInput {
  bucket: string
  key: string
  body: Buffer
  md5Base64: string
  sha256Hex: string
  contentType: string
  metadata: Record<string, string>
  sse: SseWriteParams
  /** The storage class asked for (S3 id, x-amz-storage-class); omitted = the bucket's default class. */
  storageClass?: string
  signal?: AbortSignal
  /** Waits until `bytes` may be sent (the queue's bandwidth limit), before each chunk. */
  throttle?: (bytes: number, signal?: AbortSignal) => Promise<void>
  onProgress?: (bytesSent: number, total: number) => void
}

/** What the server answered: the ETag, and the encryption it says it applied (verified by the caller). */
export interface PutObjectAnswer {
  etag?: string
  encryption: StoredEncryption
}

export type PutObject = (input: PutObjectInput) => Promise<PutObjectAnswer>

export interface DirectPutOptions {
  endpoint: string
  region: string
  pathStyle: boolean
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** The client's keep-alive agents (s3-client.ts): the same sockets, CA, proxy and network watchdog. */
  agents: { httpsAgent: HttpAgent; httpAgent: HttpAgent }
  /** The client's clock offset to the server (clock-skew.ts): signed with, and corrected from answers. */
  clock?: ClientClock
}

/** Bodies go out in pieces of this size, each waiting for the bandwidth limit and reported as progress. */
const CHUNK_BYTES = 1024 * 1024

/**
 * Virtual-hosted addressing needs the bucket to be one DNS label (a dotted name would not match the endpoint's
 * TLS certificate): other names go path-style, as the SDK does.
 */
function virtualHostable(bucket: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)
}

/** S3's key encoding: each path segment percent-encoded, including the characters encodeURIComponent keeps. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/')
}

function toBytes(data: SourceData | undefined): string | Uint8Array | undefined {
  if (data === undefined || typeof data === 'string' || data instanceof Uint8Array) return data
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data)
}

/** SHA-256 and HMAC-SHA256 from Node's crypto, in the shape the signer expects. */
class NodeSha256 {
  private hash: Hash | Hmac
  private readonly secret?: string | Uint8Array
  constructor(secret?: SourceData) {
    this.secret = toBytes(secret)
    this.hash = this.fresh()
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret)
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data) ?? '')
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest()
  }
  reset(): void {
    this.hash = this.fresh()
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const xmlText = (xml: string, tag: string) =>
  new RegExp(`<${tag}>([^<]*)</${tag}>`)
    .exec(xml)?.[1]
    ?.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? '')

/** Node's answer, read whole (a PUT's answer is empty, or a short XML error). */
interface Answered {
  statusCode: number
  headers: Record<string, string | undefined>
  text: string
}

/**
 * Sends the signed request with Node's own client on the account's agents. The SDK's handler would add per
 * request what the agents already do (timeouts: network-watchdog.ts sits on them) and reads the answer through
 * an async iterator: for thousands of small files that was ~0.4 ms of CPU a file of ~1.2 ms for the whole PUT.
 * Aborting the signal destroys the request (an AbortError, as the SDK's handler gives).
 */
function send(
  signed: HttpRequest,
  body: Buffer | Readable,
  agents: DirectPutOptions['agents'],
  signal?: AbortSignal,
): Promise<Answered> {
  const secure = signed.protocol === 'https:'
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      {
        method: signed.method,
        hostname: signed.hostname,
        port: signed.port,
        path: signed.path,
        headers: signed.headers,
        agent: secure ? agents.httpsAgent : agents.httpAgent,
        signal,
      },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('error', reject)
        answer.on('end', () =>
          resolve({
            statusCode: answer.statusCode ?? 0,
            headers: answer.headers as Record<string, string | undefined>,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    request.on('error', reject)
    if (Buffer.isBuffer(body)) request.end(body)
    else body.on('error', (error) => request.destroy(error)).pipe(request)
  })
}

/** The request headers of a PUT: content, our metadata and the encryption asked for (SSE-C key included). */
function requestHeaders(input: PutObjectInput, host: string): Record<string, string> {
  const headers: Record<string, string> = {
    host,
    'content-length': String(input.body.length),
    'content-md5': input.md5Base64,
    'content-type': input.contentType,
    'x-amz-content-sha256': input.sha256Hex,
  }
  for (const [name, value] of Object.entries(input.metadata))
    headers[`x-amz-meta-${name.toLowerCase()}`] = value
  if (input.storageClass) headers['x-amz-storage-class'] = input.storageClass
  const sse = input.sse
  if (sse.ServerSideEncryption) headers['x-amz-server-side-encryption'] = sse.ServerSideEncryption
  if (sse.SSEKMSKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = sse.SSEKMSKeyId
  if (sse.SSECustomerAlgorithm) {
    headers['x-amz-server-side-encryption-customer-algorithm'] = sse.SSECustomerAlgorithm
    headers['x-amz-server-side-encryption-customer-key'] = sse.SSECustomerKey ?? ''
    headers['x-amz-server-side-encryption-customer-key-md5'] = sse.SSECustomerKeyMD5 ?? ''
  }
  return headers
}

/**
 * The body: a small one as it is (one write), a larger one as a stream of 1 MiB pieces from the same memory, each
 * waiting for the bandwidth limit and reported as progress once handed to the socket.
 */
function requestBody(input: PutObjectInput): Buffer | Readable {
  const { body, throttle, onProgress, signal } = input
  if (body.length <= CHUNK_BYTES) return body
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
        const chunk = body.subarray(offset, offset + CHUNK_BYTES)
        await throttle?.(chunk.length, signal)
        yield chunk
        onProgress?.(offset + chunk.length, body.length)
      }
    })(),
    { objectMode: false },
  )
}

/**
 * The one single-request upload: a SigV4-signed PUT of bytes read once, sent on the client's own agents
 * (same keep-alive sockets, CA, proxy and time limits), without the SDK's per-command middleware stack (for thousands
 * of small files that stack was the largest CPU cost of an upload: ~1.7 ms a file of ~6 ms). The signed payload
 * hash is the content's SHA-256, computed in the same read as Content-MD5 and our metadata hash, so the server
 * checks the bytes twice (MD5 and SHA-256) and no file is read again to send it. SSE-KMS, SSE-OBS and SSE-C all go
 * this way. Failures are thrown in the SDK's shape (name = S3 error code, $metadata.httpStatusCode), so
 * classifyS3Error treats them like the SDK's.
 */
export async function createDirectPut(options: DirectPutOptions): Promise<PutObject> {
  const { SignatureV4 } = await signerSdk()
  const signer = new SignatureV4({
    service: 's3',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    // S3 signs the path as sent: keys are encoded once, by encodeKey.
    uriEscapePath: false,
  })
  const endpoint = new URL(options.endpoint)
  const basePath = endpoint.pathname.replace(/\/+$/, '')
  const port = endpoint.port ? Number(endpoint.port) : undefined

  const put = async (input: PutObjectInput, clockOffsetMs: number): Promise<PutObjectAnswer> => {
    const pathStyle = options.pathStyle || !virtualHostable(input.bucket)
    const hostname = pathStyle ? endpoint.hostname : `${input.bucket}.${endpoint.hostname}`
    const path = pathStyle
      ? `${basePath}/${encodeURIComponent(input.bucket)}/${encodeKey(input.key)}`
      : `${basePath}/${encodeKey(input.key)}`
    const host = endpoint.port ? `${hostname}:${endpoint.port}` : hostname
    const request: HttpRequest = {
      method: 'PUT',
      protocol: endpoint.protocol,
      hostname,
      port,
      path,
      query: {},
      headers: requestHeaders(input, host),
      // Signed before the body is attached: the signer needs only the payload hash header.
      body: undefined,
    }
    const signingDate = new Date(Date.now() + clockOffsetMs)
    const signed = (await signer.sign(request, { signingDate })) as HttpRequest
    if (input.body.length <= CHUNK_BYTES) await input.throttle?.(input.body.length, input.signal)
    const response = await send(signed, requestBody(input), options.agents, input.signal)
    const text = response.text
    if (response.statusCode >= 200 && response.statusCode < 300) {
      input.onProgress?.(input.body.length, input.body.length)
      return {
        etag: response.headers.etag,
        encryption: storedEncryptionFromHeaders(response.headers),
      }
    }
    const code = xmlText(text, 'Code') ?? `HTTP ${response.statusCode}`
    const error = Object.assign(new Error(xmlText(text, 'Message') ?? code), {
      name: code,
      Code: code,
      $fault: response.statusCode >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: response.statusCode, requestId: response.headers['x-amz-request-id'] },
    })
    // As the SDK does: the raw answer rides along (its Date header tells how far off our clock is).
    Object.defineProperty(error, '$response', { value: response, enumerable: false })
    throw error
  }
  // Our clock is off: sign with the server's time (its Date header) and send once more (the body is still in
  // memory), also when a request sent at the same time has already learnt that time.
  return async (input) => {
    const clock = options.clock
    const offset = clock?.offsetMs() ?? 0
    try {
      return await put(input, offset)
    } catch (error) {
      if (!clock || !isClockSkewError(error)) throw error
      clock.sample((error as { $response?: Answered }).$response?.headers.date)
      if (Math.abs(clock.offsetMs() - offset) < 60_000) throw error
      return put(input, clock.offsetMs())
    }
  }
}
