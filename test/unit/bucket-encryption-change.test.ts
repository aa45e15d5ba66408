import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  removeBucketEncryption,
  setBucketEncryption,
  toObsXml,
} from '../../main/core/storage/bucket-encryption-change'
import type { Provider } from '../../preload/contract/models'
import {
  fixtureClient,
  type ObsFixture,
  startObsBucketEncryptionFixture,
} from '../support/fixtures/obs-bucket-encryption-server'

const KEY = 'eu-de:0a1b2c3d4e5f:key/4f1cd4de-ab64-4807-920a-47fc42e7f0d0'

// Setting and removing a default in OBS's documented XML, against the fixture that follows those documents.
describe('setting and removing a bucket default encryption', () => {
  let obs: ObsFixture
  beforeAll(async () => {
    obs = await startObsBucketEncryptionFixture({
      'obs-b': { kind: 'none' },
      's3-b': { kind: 'none' },
      'keep-b': { kind: 'none' },
    })
  })
  afterAll(() => obs.close())

  const client = () => fixtureClient(obs)
  const account = (provider: Provider, projectId?: string) => ({ provider, projectId })
  const sent = (bucket: string) =>
    obs.requests.filter((r) => new URL(r.url, 'http://x').pathname.split('/')[1] === bucket)

  it('OBS: sends SSEAlgorithm kms, the key and the ProjectID with a matching Content-MD5, and reads it back', async () => {
    const state = await setBucketEncryption(await client(), account('otc-obs', 'p-123'), 'obs-b', {
      mode: 'sse-kms',
      keyId: KEY,
    })
    expect(state).toEqual({ state: 'set', encryption: { mode: 'sse-kms', kmsKeyId: KEY } })
    const put = sent('obs-b').find((r) => r.method === 'PUT')!
    expect(put.body).toContain('<SSEAlgorithm>kms</SSEAlgorithm>')
    expect(put.body).toContain(`<KMSMasterKeyID>${KEY}</KMSMasterKeyID><ProjectID>p-123</ProjectID>`)
    expect(put.contentMd5).toMatch(/^[A-Za-z0-9+/]{22}==$/)
  })

  it('OBS: SSE-OBS is AES256; removing sends DELETE ?encryption and reads "none" back', async () => {
    const c = await client()
    expect(await setBucketEncryption(c, account('huawei-obs'), 'obs-b', { mode: 'sse-obs' })).toEqual({
      state: 'set',
      encryption: { mode: 'sse-obs' },
    })
    expect(await removeBucketEncryption(c, account('huawei-obs'), 'obs-b')).toEqual({ state: 'none' })
    expect(sent('obs-b').some((r) => r.method === 'DELETE')).toBe(true)
  })

  it("S3 shape: aws:kms as S3 names it (this OBS fixture refuses it, as OBS's own API would)", async () => {
    await expect(
      setBucketEncryption(await client(), account('aws-s3'), 's3-b', { mode: 'sse-kms', keyId: 'k-1' }),
    ).rejects.toMatchObject({ code: 'REQUEST_REFUSED' })
    const put = sent('s3-b').find((r) => r.method === 'PUT')!
    expect(put.body).toContain('<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k-1</KMSMasterKeyID>')
    expect(put.body).not.toContain('ProjectID')
  })

  it('Ceph RGW and unknown S3 servers: removing is refused before anything is sent (RGW 16 would delete the bucket)', async () => {
    const c = await client()
    for (const provider of ['ceph-rgw', 'custom-s3'] as const) {
      await expect(removeBucketEncryption(c, account(provider), 'keep-b')).rejects.toMatchObject({
        code: 'NOT_SUPPORTED',
        message: expect.stringContaining('not supported by this server'),
      })
    }
    await expect(
      setBucketEncryption(c, account('ceph-rgw'), 'keep-b', { mode: 'sse-obs' }),
    ).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
    })
    expect(sent('keep-b')).toEqual([])
  })

  it('toObsXml only renames the algorithm and adds the project next to a key', () => {
    const xml = '<A><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></A>'
    expect(toObsXml(xml, 'p&1')).toBe(
      '<A><SSEAlgorithm>kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID><ProjectID>p&#38;1</ProjectID></A>',
    )
    expect(toObsXml('<SSEAlgorithm>aws:kms</SSEAlgorithm>', 'p')).toBe('<SSEAlgorithm>kms</SSEAlgorithm>')
    expect(toObsXml('<SSEAlgorithm>AES256</SSEAlgorithm>', undefined)).toBe(
      '<SSEAlgorithm>AES256</SSEAlgorithm>',
    )
  })
})
