// Finding #12 (Low), proxies: the KMS listing ignored the account's proxy, and HTTPS_PROXY / NO_PROXY were
// ignored everywhere. Tried with a real HTTPS server (throwaway CA) on 127.0.0.1 and a tiny CONNECT proxy
// (test/support/connect-proxy.ts) that records every tunnel: what a user behind a company proxy depends on.
import { createHash } from 'node:crypto'
import { ListBucketsCommand } from '@aws-sdk/client-s3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createKmsDirectory } from '../../main/core/kms/create-kms-directory'
import { proxyFor } from '../../main/core/storage/proxy-choice'
import { createS3Client } from '../../main/core/storage/s3-client'
import type { Account } from '../../preload/contract/models'
import { startConnectProxy } from '../support/connect-proxy'
import { makeTestCa, startTlsServer } from '../support/test-tls'

let proxy: Awaited<ReturnType<typeof startConnectProxy>>
let target: Awaited<ReturnType<typeof startTlsServer>>
let caFile: string
const LIST_BUCKETS =
  '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets><Bucket><Name>through-the-proxy</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>'

beforeAll(async () => {
  const ca = makeTestCa('proxy-target')
  caFile = ca.caFile
  target = await startTlsServer('target', ca, LIST_BUCKETS)
  proxy = await startConnectProxy()
}, 60_000)
afterAll(async () => {
  target.server.close()
  await proxy.close()
})
const savedEnv = { ...process.env }
afterEach(() => {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'NO_PROXY', 'no_proxy'])
    delete process.env[name]
  Object.assign(process.env, savedEnv)
  proxy.tunnels.length = 0
  target.requests.length = 0
})

const targetHost = () => new URL(target.url).host
const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' }

function account(overrides: Partial<Account>): Account {
  return {
    id: 'acc',
    name: 'lab',
    provider: 'ceph-rgw',
    endpoint: target.url.replace(/\/$/, ''),
    region: 'eu-de',
    addressing: 'path',
    accessKeyId: 'AKID',
    caFile,
    ...overrides,
  } as Account
}

async function listBuckets(a: Account): Promise<string[]> {
  const { s3, close } = await createS3Client(a, credentials)
  try {
    const answer = await s3.send(new ListBucketsCommand({}))
    return (answer.Buckets ?? []).map((b) => b.Name ?? '')
  } finally {
    close()
  }
}

describe('#12 proxies', () => {
  it('S3 requests go through the account’s proxy, with its credentials', async () => {
    const proxyUrl = proxy.url.replace('http://', 'http://proxyuser:pr0xy@')
    expect(await listBuckets(account({ proxy: proxyUrl }))).toEqual(['through-the-proxy'])
    expect(proxy.tunnels).toEqual([
      { target: targetHost(), authorization: `Basic ${Buffer.from('proxyuser:pr0xy').toString('base64')}` },
    ])
  })

  it('uploads and listings (direct requests on the same agents) go through the account’s proxy too', async () => {
    const { putObject, listObjects, close } = await createS3Client(account({ proxy: proxy.url }), credentials)
    try {
      const body = Buffer.from('through the tunnel')
      await putObject({
        bucket: 'photos',
        key: 'a.txt',
        body,
        md5Base64: createHash('md5').update(body).digest('base64'),
        sha256Hex: createHash('sha256').update(body).digest('hex'),
        contentType: 'text/plain',
        metadata: {},
        sse: {},
      })
      // This server answers every request with a bucket list: the page is refused, after going through the tunnel.
      await expect(listObjects({ bucket: 'photos', maxKeys: 1000 })).rejects.toThrow(/not a ListBucketResult/)
    } finally {
      close()
    }
    expect(proxy.tunnels.length).toBeGreaterThan(0)
    expect(proxy.tunnels.map((t) => t.target)).toEqual(proxy.tunnels.map(() => targetHost()))
    expect(target.requests).toEqual(['/photos/a.txt', '/photos?list-type=2&max-keys=1000'])
  })

  it.each([
    ['huawei-obs', '/v1.0/'],
    ['aws-s3', '/'],
  ] as const)(
    'the KMS key listing of a %s account goes through the account’s proxy',
    async (provider, path) => {
      const directory = createKmsDirectory(
        account({ provider, proxy: proxy.url, projectId: 'p1' }),
        credentials,
        {
          endpointOverride: target.url.replace(/\/$/, ''),
          timeoutMs: 10_000,
        },
      )
      // The test server is no KMS: the listing fails on its answer, after the request went through the proxy.
      await directory.listKeys().catch(() => undefined)
      expect(proxy.tunnels.map((t) => t.target)).toContain(targetHost())
      expect(target.requests.some((r) => r.startsWith(path))).toBe(true)
    },
  )

  it('HTTPS_PROXY is used when the account sets no proxy', async () => {
    process.env.HTTPS_PROXY = proxy.url
    expect(await listBuckets(account({}))).toEqual(['through-the-proxy'])
    expect(proxy.tunnels.map((t) => t.target)).toEqual([targetHost()])
  })

  it('NO_PROXY naming the host bypasses HTTPS_PROXY', async () => {
    process.env.HTTPS_PROXY = proxy.url
    process.env.NO_PROXY = 'example.org, 127.0.0.1'
    expect(await listBuckets(account({}))).toEqual(['through-the-proxy'])
    expect(proxy.tunnels).toEqual([])
  })

  it('the proxy choice: account first, then the environment, NO_PROXY by host, domain, port and *', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128' }
    expect(proxyFor('http://acct:8080', 'https://s3.example.com', env)).toBe('http://acct:8080')
    expect(proxyFor(undefined, 'https://s3.example.com', env)).toBe('http://env-proxy:3128')
    expect(proxyFor(undefined, 'http://minio.lan:9000', env)).toBe('http://plain-proxy:3128')
    expect(proxyFor(undefined, 'https://s3.example.com', { https_proxy: 'http://lower:1' })).toBe(
      'http://lower:1',
    )
    expect(proxyFor(undefined, 'https://s3.example.com', {})).toBeUndefined()
    for (const noProxy of ['example.com', '.example.com', '*.example.com', 's3.example.com:443', '*']) {
      expect(
        proxyFor(undefined, 'https://s3.example.com', { ...env, NO_PROXY: noProxy }),
        noProxy,
      ).toBeUndefined()
    }
    for (const noProxy of ['ample.com', 's3.example.com:9000', 'other.org']) {
      expect(proxyFor(undefined, 'https://s3.example.com', { ...env, no_proxy: noProxy }), noProxy).toBe(
        'http://env-proxy:3128',
      )
    }
  })
})
