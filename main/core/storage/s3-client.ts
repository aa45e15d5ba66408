import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { createSecureContext } from 'node:tls'
import { S3Client } from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { Account } from '../../../preload/contract/models'
import { trustedCertificates } from '../trusted-ca'

export interface S3Credentials {
  accessKeyId: string
  secretAccessKey: string
}

export interface S3ClientOptions {
  /** Upper bound of parallel connections to this endpoint (the queue decides how many it uses). */
  maxSockets?: number
  connectionTimeoutMs?: number
  /** Time without any byte on the socket before a request is abandoned. */
  socketTimeoutMs?: number
}

/**
 * The one way the app builds an S3 client for an account: keep-alive sockets, the account's CA, the
 * addressing style it asks for (virtual-hosted by default: OBS refuses path-style), and no SDK retries:
 * retry policy belongs to the queue, which knows what is worth retrying.
 */
export async function createS3Client(
  account: Pick<Account, 'endpoint' | 'region' | 'addressing' | 'caFile'>,
  credentials: S3Credentials,
  options: S3ClientOptions = {},
): Promise<S3Client> {
  const ca = await trustedCertificates(account.caFile)
  const maxSockets = options.maxSockets ?? 16
  return new S3Client({
    endpoint: account.endpoint,
    region: account.region || 'us-east-1',
    forcePathStyle: account.addressing === 'path',
    credentials,
    maxAttempts: 1,
    // RGW and OBS answer a streamed PutObject with the SDK's default CRC checksums with 411; we send
    // Content-MD5 ourselves where integrity matters.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      // One secure context for the account: passing `ca` per request would make the agent hash the whole trust
      // store into every connection-pool key and build a new context per connection.
      httpsAgent: new HttpsAgent({
        keepAlive: true,
        maxSockets,
        secureContext: ca ? createSecureContext({ ca }) : undefined,
      }),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
    }),
  })
}
