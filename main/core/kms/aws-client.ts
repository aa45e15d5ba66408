import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { KMSClient } from '@aws-sdk/client-kms'
import { httpHandlerSdk, kmsSdk } from '../sdk'
import { proxyAgent } from '../storage/proxy-choice'
import { trustedCertificates } from '../trusted-ca'
import type { KmsCredentials } from './kms-directory'

export interface AwsKmsClientOptions {
  region: string
  caFile?: string
  /** Without one the SDK resolves kms.{region}.amazonaws.com (or the FIPS/China variants) itself. */
  endpoint?: string
  timeoutMs?: number
  /** The proxy (with its credentials) requests tunnel through, from proxyFor(). */
  proxy?: string
}

/**
 * The KMS client, built the way storage/s3-client.ts builds the S3 one: keep-alive sockets (a listing makes one
 * DescribeKey call per key), the account's CA added to the public roots, and no SDK retries (maxAttempts 1):
 * the picker shows a failure at once and the user retries, rather than waiting through back-off.
 */
export async function createAwsKmsClient(
  credentials: KmsCredentials,
  options: AwsKmsClientOptions,
): Promise<KMSClient> {
  const ca = await trustedCertificates(options.caFile)
  const [{ KMSClient }, { NodeHttpHandler }] = await Promise.all([kmsSdk(), httpHandlerSdk()])
  return new KMSClient({
    region: options.region || 'us-east-1',
    endpoint: options.endpoint,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpsAgent: options.proxy
        ? await proxyAgent(options.proxy, ca, { keepAlive: true, maxSockets: 8 })
        : new HttpsAgent({ keepAlive: true, maxSockets: 8, ca }),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 8 }),
      connectionTimeout: 10_000,
      socketTimeout: options.timeoutMs ?? 30_000,
    }),
  })
}
