import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bucketEncryption } from '../../main/core/storage/bucket-encryption'
import {
  fixtureClient,
  type ObsFixture,
  startObsBucketEncryptionFixture,
} from '../support/fixtures/obs-bucket-encryption-server'

// OBS-only answers (RGW cannot give them) from a fixture that follows the documented OBS XML.
describe('bucket default encryption as OBS reports it', () => {
  let obs: ObsFixture
  beforeAll(async () => {
    obs = await startObsBucketEncryptionFixture({
      'kms-bucket': {
        kind: 'kms',
        keyId: '4f1cd4de-ab64-4807-920a-47fc42e7f0d0',
        projectId: 'b2a5d3c1e0f94a8b',
      },
      'kms-default': { kind: 'kms' },
      'aes-bucket': { kind: 'aes256' },
      'plain-bucket': { kind: 'none' },
      'denied-bucket': { kind: 'denied' },
    })
  })
  afterAll(() => obs.close())

  const client = () => fixtureClient(obs)

  it('maps OBS "kms" with a key id to SSE-KMS with that key', async () => {
    expect(await bucketEncryption(await client(), 'kms-bucket')).toEqual({
      state: 'set',
      encryption: { mode: 'sse-kms', kmsKeyId: '4f1cd4de-ab64-4807-920a-47fc42e7f0d0' },
    })
  })

  it('maps "kms" without a key id to SSE-KMS with the default key', async () => {
    expect(await bucketEncryption(await client(), 'kms-default')).toEqual({
      state: 'set',
      encryption: { mode: 'sse-kms', kmsKeyId: undefined },
    })
  })

  it('maps AES256 to SSE-OBS', async () => {
    expect(await bucketEncryption(await client(), 'aes-bucket')).toEqual({
      state: 'set',
      encryption: { mode: 'sse-obs' },
    })
  })

  it('reports "none" on NoSuchEncryptionConfiguration', async () => {
    expect(await bucketEncryption(await client(), 'plain-bucket')).toEqual({ state: 'none' })
  })

  it('names a missing bucket and a denied one', async () => {
    await expect(bucketEncryption(await client(), 'nope')).rejects.toMatchObject({ code: 'NO_SUCH_BUCKET' })
    await expect(bucketEncryption(await client(), 'denied-bucket')).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    })
  })

  it('only ever reads: no DELETE ?encryption is sent (on RGW it deletes the bucket)', () => {
    expect(obs.requests.length).toBeGreaterThan(0)
    expect(obs.requests.every((r) => r.method === 'GET')).toBe(true)
  })
})
