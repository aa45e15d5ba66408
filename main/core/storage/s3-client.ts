import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { createSecureContext, type SecureContext } from 'node:tls'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Account } from '../../../preload/contract/models'
import { httpHandlerSdkNow, s3SdkNow } from '../sdk'
import { trustedCertificates } from '../trusted-ca'
import { sendBodiesInPieces } from './body-in-pieces'
import { type ClockConfig, connectionClock, retryOnceAfterClockCorrection } from './clock-skew'
import { createDirectList, type ListObjects } from './direct-list'
import { createDirectPut, type PutObject } from './direct-put'
import { refuseEncryptionOverHttp } from './https-guard'
import { DEFAULT_NETWORK_TIMEOUTS, type NetworkTimeouts, watchAgent } from './network-watchdog'
import { proxyFor } from './proxy-choice'
import { createSignedRequests } from './signed-request'

export interface S3Credentials {
  accessKeyId: string
  secretAccessKey: string
}

export interface S3ClientOptions {
  /** Upper bound of parallel connections to this endpoint (the queue decides how many it uses). */
  maxSockets?: number
  /** Handshake, first-byte and progress limits of every request (network-watchdog.ts). */
  timeouts?: Partial<NetworkTimeouts>
}

/**
 * An account's connection. The requests sent by the thousand go out signed by the app itself (signed-request.ts):
 * every single-request upload (`putObject`) and every listing page (`listObjects`). The SDK client takes the
 * other control calls (HEAD, multipart, bucket settings, ...) and is built on its first use: an upload of small
 * files never loads it (~170 ms of CPU and ~20 MB of memory). All share the same keep-alive agents (sockets, CA,
 * proxy, network time limits) and one clock offset to the server.
 */
export interface S3Connection {
  /** The SDK client, built (and the SDK loaded) when first touched. */
  s3: S3Client
  putObject: PutObject
  listObjects: ListObjects
  /** Closes the sockets (and the SDK client, if it was built). */
  close(): void
}

/** What most operations use of a connection: its listing, and the SDK client for the other calls. */
export type ControlConnection = Pick<S3Connection, 's3' | 'listObjects'>

/**
 * The one way the app builds an S3 client for an account: keep-alive sockets, the account's CA, the
 * addressing style it asks for (virtual-hosted by default: OBS refuses path-style), and no SDK retries:
 * retry policy belongs to the queue, which knows what is worth retrying.
 */
export async function createS3Client(
  account: Pick<Account, 'endpoint' | 'region' | 'addressing' | 'caFile' | 'proxy'>,
  credentials: S3Credentials,
  options: S3ClientOptions = {},
): Promise<S3Connection> {
  const ca = await trustedCertificates(account.caFile)
  const maxSockets = options.maxSockets ?? 16
  const timeouts = { ...DEFAULT_NETWORK_TIMEOUTS, ...options.timeouts }
  const proxy = proxyFor(account.proxy, account.endpoint)
  const agents = await agentsFor(proxy, maxSockets, ca ? createSecureContext({ ca }) : undefined)
  // The limits that notice a stalled network sit on the agents, under every request of this connection (SDK
  // commands and the direct requests); the SDK handler's own socket timeout stays as a last resort.
  for (const agent of new Set([agents.httpsAgent, agents.httpAgent])) watchAgent(agent, timeouts)
  const region = account.region || 'us-east-1'
  const pathStyle = account.addressing === 'path'
  const clock = connectionClock()

  let built: S3Client | undefined
  function sdkClient(): S3Client {
    if (built) return built
    const { S3Client } = s3SdkNow()
    const { NodeHttpHandler } = httpHandlerSdkNow()
    const s3 = new S3Client({
      endpoint: account.endpoint,
      region,
      forcePathStyle: pathStyle,
      credentials,
      maxAttempts: 1,
      // RGW and OBS answer a streamed PutObject with the SDK's default CRC checksums with 411; we send
      // Content-MD5 ourselves where integrity matters.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: new NodeHttpHandler({
        ...agents,
        connectionTimeout: timeouts.handshakeMs,
        socketTimeout: 3 * Math.max(timeouts.firstByteMs, timeouts.progressMs),
      }),
    })
    clock.share(s3.config as unknown as ClockConfig)
    retryOnceAfterClockCorrection(s3)
    sendBodiesInPieces(s3)
    refuseEncryptionOverHttp(s3, account.endpoint)
    built = s3
    return s3
  }

  const sendSigned = await createSignedRequests({
    endpoint: account.endpoint,
    region,
    pathStyle,
    credentials,
    agents,
    clock,
  })
  return {
    s3: builtOnFirstUse(sdkClient),
    putObject: createDirectPut(sendSigned),
    listObjects: createDirectList(sendSigned),
    close() {
      built?.destroy()
      for (const agent of new Set([agents.httpsAgent, agents.httpAgent])) agent.destroy()
    },
  }
}

/**
 * The SDK client as every caller holds it (an S3Client), built by `build` when a property is first read: callers
 * pass it around and destructure connections freely, and only a call on it loads the SDK. Its methods are bound
 * to the real client. `then` is not forwarded: a promise resolved with it must not take it for a thenable (and
 * build it).
 */
function builtOnFirstUse(build: () => S3Client): S3Client {
  return new Proxy({} as S3Client, {
    get(_, property) {
      if (property === 'then') return undefined
      const client = build()
      const value: unknown = Reflect.get(client, property, client)
      return typeof value === 'function' ? value.bind(client) : value
    },
    set: (_, property, value) => Reflect.set(build(), property, value),
    has: (_, property) => Reflect.has(build(), property),
  })
}

/**
 * Keep-alive agents for the account. One secure context per account: passing `ca` per request would make the
 * agent hash the whole trust store into every pool key and build a context per connection. With a proxy,
 * requests tunnel through it (HTTP CONNECT) and TLS to the endpoint is still verified against the same context.
 */
async function agentsFor(
  proxy: string | undefined,
  maxSockets: number,
  secureContext: SecureContext | undefined,
) {
  if (proxy) {
    const { VerifyingProxyAgent } = await import('./proxy-agent')
    const tunnel = new VerifyingProxyAgent(proxy, secureContext, { keepAlive: true, maxSockets })
    return { httpsAgent: tunnel, httpAgent: tunnel }
  }
  return {
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets, secureContext }),
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
  }
}
