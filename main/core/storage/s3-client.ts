import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { createSecureContext, type SecureContext } from 'node:tls'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Account } from '../../../preload/contract/models'
import { httpHandlerSdk, s3Sdk } from '../sdk'
import { trustedCertificates } from '../trusted-ca'
import { sendBodiesInPieces } from './body-in-pieces'
import { clientClock, retryOnceAfterClockCorrection } from './clock-skew'
import { createDirectPut, type PutObject } from './direct-put'
import { refuseEncryptionOverHttp } from './https-guard'
import { DEFAULT_NETWORK_TIMEOUTS, type NetworkTimeouts, watchAgent } from './network-watchdog'
import { proxyFor } from './proxy-choice'

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
 * An account's connection: the SDK client for control calls (listing, HEAD, multipart, ...) and the one PUT function
 * every single-request upload goes through (direct-put.ts). Both share the same keep-alive agents: the same
 * sockets, CA, proxy and network time limits. Handed out together, so whoever uploads gets the PUT explicitly.
 */
export interface S3Connection {
  s3: S3Client
  putObject: PutObject
}

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
  const [{ S3Client }, { NodeHttpHandler }] = await Promise.all([s3Sdk(), httpHandlerSdk()])
  const timeouts = { ...DEFAULT_NETWORK_TIMEOUTS, ...options.timeouts }
  const proxy = proxyFor(account.proxy, account.endpoint)
  const agents = await agentsFor(proxy, maxSockets, ca ? createSecureContext({ ca }) : undefined)
  // The limits that notice a stalled network sit on the agents, under every request of this client (SDK
  // commands and the direct PUT); the handler's own socket timeout stays as a last resort.
  for (const agent of new Set([agents.httpsAgent, agents.httpAgent])) watchAgent(agent, timeouts)
  const handler = new NodeHttpHandler({
    ...agents,
    connectionTimeout: timeouts.handshakeMs,
    socketTimeout: 3 * Math.max(timeouts.firstByteMs, timeouts.progressMs),
  })
  const region = account.region || 'us-east-1'
  const pathStyle = account.addressing === 'path'
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
    requestHandler: handler,
  })
  retryOnceAfterClockCorrection(s3)
  sendBodiesInPieces(s3)
  refuseEncryptionOverHttp(s3, account.endpoint)
  const putObject = await createDirectPut({
    endpoint: account.endpoint,
    region,
    pathStyle,
    credentials,
    agents,
    clock: clientClock(s3),
  })
  return { s3, putObject }
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
