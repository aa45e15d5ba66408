import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { proxyAgent } from '../storage/proxy-choice'

export interface HttpRequest {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
}

export interface HttpResponse {
  status: number
  /** Lower-case names. */
  headers: Record<string, string>
  body: string
}

/** One request, one answer; a network or TLS failure rejects with Node's error (its `code` says which). */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>

export interface TransportOptions {
  /** Trusted certificates (public roots + the account's CA), from trustedCertificates(). */
  ca?: string[]
  timeoutMs?: number
  /** The proxy (with its credentials) https requests tunnel through, from proxyFor(). */
  proxy?: string
}

/**
 * The HTTP layer of the Huawei directory, built like storage/s3-client.ts builds the S3 one: Node's https with a
 * keep-alive agent (a listing is several pages on one connection) and the account's CA added to the roots.
 * Node's global fetch cannot take a CA without an extra dependency, hence node:https. The Host header is set
 * explicitly because it is part of the signature and must be exactly what is signed.
 */
export function createNodeTransport(options: TransportOptions = {}): HttpTransport {
  const httpsAgent: Promise<HttpAgent> = options.proxy
    ? proxyAgent(options.proxy, options.ca, { keepAlive: true, maxSockets: 4 })
    : Promise.resolve(new HttpsAgent({ keepAlive: true, maxSockets: 4, ca: options.ca }))
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 4 })
  const timeoutMs = options.timeoutMs ?? 30_000
  return async (req) => {
    const tlsAgent = await httpsAgent
    return new Promise((resolve, reject) => {
      const url = new URL(req.url)
      const secure = url.protocol === 'https:'
      const send = secure ? httpsRequest : httpRequest
      // A known length rather than chunked encoding: gateways handle it everywhere.
      const headers =
        req.body === undefined
          ? req.headers
          : { ...req.headers, 'Content-Length': String(Buffer.byteLength(req.body)) }
      const outgoing = send(
        url,
        { method: req.method, headers, agent: secure ? tlsAgent : httpAgent },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', reject)
          res.on('end', () => {
            const headers: Record<string, string> = {}
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') })
          })
        },
      )
      outgoing.setTimeout(timeoutMs, () =>
        outgoing.destroy(
          Object.assign(new Error(`No answer from ${url.host} within ${timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      )
      outgoing.on('error', reject)
      outgoing.end(req.body)
    })
  }
}

/** undici's socket codes, as the Node codes the error taxonomy (storage/classify-error.ts) knows. */
const UNDICI_CODES: Record<string, string> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
}

function unwrapFetchError(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause
  if (!(cause instanceof Error)) return error
  const code = (cause as { code?: string }).code
  const mapped = code ? UNDICI_CODES[code] : undefined
  return mapped ? Object.assign(new Error(cause.message, { cause }), { code: mapped }) : cause
}

/**
 * The same contract over an injected fetch. Host is dropped: fetch derives it from the URL, which is the value
 * that was signed. fetch wraps socket errors in a TypeError whose `cause` holds the real error; it is unwrapped
 * (and undici's own codes translated) so that the error classifier sees a Node code.
 */
export function createFetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (req) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name.toLowerCase() !== 'host'),
    )
    let res: Response
    try {
      res = await fetchImpl(req.url, { method: req.method, headers, body: req.body })
    } catch (error) {
      throw unwrapFetchError(error)
    }
    const responseHeaders: Record<string, string> = {}
    res.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value
    })
    return { status: res.status, headers: responseHeaders, body: await res.text() }
  }
}
