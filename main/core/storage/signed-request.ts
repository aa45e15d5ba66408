import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Readable } from 'node:stream'
import type { HttpRequest, SourceData } from '@smithy/types'
import { signerSdk } from '../sdk'
import { type ClientClock, isClockSkewError } from './clock-skew'

/**
 * SigV4-signed S3 requests sent with Node's own client on the account's agents: the few requests the app sends by
 * the thousand (the single PUT, direct-put.ts; the listing page, direct-list.ts), without the SDK's per-command
 * middleware and without loading the SDK's S3 client at all (~170 ms of CPU and ~20 MB of memory at start).
 * Failures are thrown in the SDK's shape (name = S3 error code, $metadata.httpStatusCode), so classifyS3Error
 * treats them like the SDK's.
 */
export interface SignedRequestOptions {
  endpoint: string
  region: string
  pathStyle: boolean
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** The account's keep-alive agents (s3-client.ts): the same sockets, CA, proxy and network watchdog. */
  agents: { httpsAgent: HttpAgent; httpAgent: HttpAgent }
  /** The connection's clock offset to the server (clock-skew.ts): signed with, and corrected from answers. */
  clock?: ClientClock
}

export interface SignedRequest {
  method: 'GET' | 'PUT'
  bucket: string
  /** The object; undefined addresses the bucket itself (a listing). */
  key?: string
  query?: Record<string, string>
  /** Headers besides Host (added here); all are signed. */
  headers: Record<string, string>
  /**
   * The body of one attempt, called again when the request is sent once more (a stream cannot be sent twice);
   * it may wait first (the bandwidth limit). None: an empty body.
   */
  body?: () => Promise<Buffer | Readable>
  signal?: AbortSignal
}

/** Node's answer, read whole (a PUT's answer is empty; a listing page or an error is a short XML document). */
export interface Answered {
  statusCode: number
  headers: Record<string, string | undefined>
  text: string
}

export type SendSigned = (request: SignedRequest) => Promise<Answered>

/**
 * Virtual-hosted addressing needs the bucket to be one DNS label (a dotted name would not match the endpoint's
 * TLS certificate): other names go path-style, as the SDK does.
 */
function virtualHostable(bucket: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)
}

/** RFC 3986 encoding, as SigV4 signs it: encodeURIComponent plus the characters it keeps. */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** S3's key encoding: each path segment encoded, the slashes kept. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeStrict).join('/')
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

/** A refusal in the SDK's shape: code and message from the XML body, the raw answer alongside (its Date header). */
function errorOf(answer: Answered): Error {
  const code = xmlText(answer.text, 'Code') ?? `HTTP ${answer.statusCode}`
  const error = Object.assign(new Error(xmlText(answer.text, 'Message') ?? code), {
    name: code,
    Code: code,
    $fault: answer.statusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: answer.statusCode, requestId: answer.headers['x-amz-request-id'] },
  })
  Object.defineProperty(error, '$response', { value: answer, enumerable: false })
  return error
}

/** The error an aborted request ends with, in the shape Node and the SDK's handler give it. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  })
}

/**
 * Sends the signed request with Node's own client on the account's agents. The SDK's handler would add per
 * request what the agents already do (timeouts: network-watchdog.ts sits on them) and reads the answer through
 * an async iterator: for thousands of small files that was ~0.4 ms of CPU a file of ~1.2 ms for the whole PUT.
 * Aborting the signal destroys the request (an AbortError, as the SDK's handler gives). It is listened to here
 * rather than given to Node as the request's `signal` option: Node then also follows the request to its end with
 * its stream helpers to let the signal go, ~50 µs of CPU a request (measured on loopback, 4,000 PUTs pinned to one
 * core), a tenth of what a small file costs.
 */
function send(
  signed: HttpRequest,
  body: Buffer | Readable | undefined,
  agents: SignedRequestOptions['agents'],
  signal?: AbortSignal,
): Promise<Answered> {
  const secure = signed.protocol === 'https:'
  const query = Object.entries(signed.query ?? {})
    .map(([name, value]) => `${encodeStrict(name)}=${encodeStrict(String(value))}`)
    .join('&')
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal))
    const onAbort = () => request.destroy(abortError(signal as AbortSignal))
    signal?.addEventListener('abort', onAbort, { once: true })
    const fail = (error: Error) => {
      signal?.removeEventListener('abort', onAbort)
      reject(error)
    }
    const request = (secure ? httpsRequest : httpRequest)(
      {
        method: signed.method,
        hostname: signed.hostname,
        port: signed.port,
        path: query ? `${signed.path}?${query}` : signed.path,
        headers: signed.headers,
        agent: secure ? agents.httpsAgent : agents.httpAgent,
      },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('error', fail)
        answer.on('end', () => {
          signal?.removeEventListener('abort', onAbort)
          resolve({
            statusCode: answer.statusCode ?? 0,
            headers: answer.headers as Record<string, string | undefined>,
            text: Buffer.concat(chunks).toString('utf8'),
          })
        })
      },
    )
    request.on('error', fail)
    if (body === undefined || Buffer.isBuffer(body)) request.end(body)
    else body.on('error', (error) => request.destroy(error)).pipe(request)
  })
}

/** The connection's one way to send a signed request: a 2xx answer, or the refusal thrown in the SDK's shape. */
export async function createSignedRequests(options: SignedRequestOptions): Promise<SendSigned> {
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

  async function attempt(input: SignedRequest, clockOffsetMs: number): Promise<Answered> {
    const pathStyle = options.pathStyle || !virtualHostable(input.bucket)
    const hostname = pathStyle ? endpoint.hostname : `${input.bucket}.${endpoint.hostname}`
    const objectPath = input.key === undefined ? '' : `/${encodeKey(input.key)}`
    const path = pathStyle
      ? `${basePath}/${encodeStrict(input.bucket)}${objectPath}`
      : `${basePath}${objectPath || '/'}`
    const host = endpoint.port ? `${hostname}:${endpoint.port}` : hostname
    const request: HttpRequest = {
      method: input.method,
      protocol: endpoint.protocol,
      hostname,
      port,
      path,
      query: input.query ?? {},
      headers: { host, ...input.headers },
      // Signed before the body is attached: the signer needs only the payload hash header (or an empty body).
      body: undefined,
    }
    const signingDate = new Date(Date.now() + clockOffsetMs)
    const signed = (await signer.sign(request, { signingDate })) as HttpRequest
    const answer = await send(signed, await input.body?.(), options.agents, input.signal)
    if (answer.statusCode >= 200 && answer.statusCode < 300) return answer
    throw errorOf(answer)
  }

  // Our clock is off: sign with the server's time (its Date header) and send once more, also when a request
  // sent at the same time has already learnt that time.
  return async (input) => {
    const clock = options.clock
    const offset = clock?.offsetMs() ?? 0
    try {
      return await attempt(input, offset)
    } catch (error) {
      if (!clock || !isClockSkewError(error)) throw error
      clock.sample((error as { $response?: Answered }).$response?.headers.date)
      if (Math.abs(clock.offsetMs() - offset) < 60_000) throw error
      return attempt(input, clock.offsetMs())
    }
  }
}
