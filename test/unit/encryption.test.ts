import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { resolveEncryption } from '../../main/core/encryption/resolve-encryption'
import { sseCustomerParams, sseWriteParams } from '../../main/core/encryption/sse-headers'

const https = 'https://obs.eu-de.otc.t-systems.com'
const http = 'http://minio.local:9000'

describe('encryption resolver: explicit > folder rule > bucket default > none', () => {
  it('takes the explicit choice over everything else', () => {
    const r = resolveEncryption(
      {
        explicit: { mode: 'sse-obs' },
        folderRule: { mode: 'sse-kms', keyId: 'k' },
        bucketDefault: { mode: 'sse-kms' },
      },
      https,
    )
    expect(r).toEqual({ choice: { mode: 'sse-obs' }, source: 'explicit' })
  })

  it('an explicit "none" is a choice too and beats the bucket default', () => {
    expect(
      resolveEncryption({ explicit: { mode: 'none' }, bucketDefault: { mode: 'sse-kms' } }, https),
    ).toEqual({
      choice: { mode: 'none' },
      source: 'explicit',
    })
  })

  it('falls back to the folder rule, then to the bucket default, then to none', () => {
    expect(
      resolveEncryption(
        { folderRule: { mode: 'sse-kms', keyId: 'k1' }, bucketDefault: { mode: 'sse-obs' } },
        https,
      ),
    ).toEqual({ choice: { mode: 'sse-kms', keyId: 'k1' }, source: 'folder-rule' })
    expect(resolveEncryption({ bucketDefault: { mode: 'sse-kms' } }, https)).toEqual({
      choice: { mode: 'sse-kms' },
      source: 'bucket-default',
    })
    expect(resolveEncryption({}, https)).toEqual({ choice: { mode: 'none' }, source: 'none' })
    expect(resolveEncryption({ bucketDefault: { mode: 'none' } }, https).source).toBe('none')
  })

  it('refuses SSE-KMS and SSE-C over plain HTTP, whichever level chose them, with a clear message', () => {
    for (const inputs of [
      { explicit: { mode: 'sse-kms' as const } },
      { folderRule: { mode: 'sse-c' as const, customerKeyName: 'mine' } },
      { bucketDefault: { mode: 'sse-kms' as const, keyId: 'k' } },
    ]) {
      expect(() => resolveEncryption(inputs, http)).toThrow(/needs an HTTPS endpoint.*nothing was sent/)
      try {
        resolveEncryption(inputs, http)
      } catch (e) {
        expect(e).toMatchObject({ code: 'HTTPS_REQUIRED' })
      }
    }
  })

  it('allows SSE-OBS/AES256 and no encryption over HTTP', () => {
    expect(resolveEncryption({ explicit: { mode: 'sse-obs' } }, http).choice.mode).toBe('sse-obs')
    expect(resolveEncryption({}, http).choice.mode).toBe('none')
  })
})

describe('SSE request parameters', () => {
  it('SSE-KMS with a key id, and with the provider default key (no id sent)', () => {
    expect(sseWriteParams({ mode: 'sse-kms', keyId: 'testkey-1' })).toEqual({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'testkey-1',
    })
    expect(
      sseWriteParams({ mode: 'sse-kms', keyId: 'k' }, { kmsKeyHeaderId: 'eu-de:0123:key/k' }).SSEKMSKeyId,
    ).toBe('eu-de:0123:key/k')
    expect(sseWriteParams({ mode: 'sse-kms' })).toEqual({ ServerSideEncryption: 'aws:kms' })
  })

  it('SSE-OBS is AES256, none sends nothing', () => {
    expect(sseWriteParams({ mode: 'sse-obs' })).toEqual({ ServerSideEncryption: 'AES256' })
    expect(sseWriteParams({ mode: 'none' })).toEqual({})
  })

  it('SSE-C carries the key and its MD5, and needs the key from the keychain', () => {
    const key = randomBytes(32)
    const params = sseWriteParams(
      { mode: 'sse-c', customerKeyName: 'k' },
      { customerKey: key.toString('base64') },
    )
    expect(params).toEqual({
      SSECustomerAlgorithm: 'AES256',
      SSECustomerKey: key.toString('base64'),
      SSECustomerKeyMD5: createHash('md5').update(key).digest('base64'),
    })
    expect(() => sseWriteParams({ mode: 'sse-c', customerKeyName: 'k' })).toThrow(/not in the keychain/)
    expect(() => sseCustomerParams(randomBytes(16).toString('base64'))).toThrow(/256 bits/)
  })
})
