import { describe, expect, it } from 'vitest'
import {
  assertEncryptionApplied,
  encryptionMismatch,
  storedEncryptionFromHeaders,
  storedMatchesChoice,
} from '../../main/core/encryption/verify-encryption'

// Header shapes as documented: S3 https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (response
// syntax); OBS https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0080.html (PUT Object, response headers).
const where = { bucket: 'b', key: 'k.txt' }
const kms = { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: 'testkey-1' }
const sseC = { SSECustomerAlgorithm: 'AES256' as const, SSECustomerKey: 'a2V5', SSECustomerKeyMD5: 'bWQ1' }

describe('what the server says it stored, in both header dialects', () => {
  it.each([
    ['S3 SSE-S3', { 'x-amz-server-side-encryption': 'AES256' }, { algorithm: 'AES256' }],
    [
      'S3 SSE-KMS',
      {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:1:key/k1',
      },
      { algorithm: 'kms', kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k1' },
    ],
    [
      'OBS SSE-KMS',
      {
        'x-obs-server-side-encryption': 'kms',
        'x-obs-server-side-encryption-kms-key-id': 'eu-de:dom:key/k1',
      },
      { algorithm: 'kms', kmsKeyId: 'eu-de:dom:key/k1' },
    ],
    ['no encryption header (RGW 16 after an AES256 PUT)', { etag: '"x"' }, {}],
    [
      'S3 SSE-C',
      {
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key-md5': 'bWQ1',
      },
      { customerAlgorithm: 'AES256', customerKeyMd5: 'bWQ1' },
    ],
    ['OBS SSE-OBS', { 'x-obs-server-side-encryption': 'AES256' }, { algorithm: 'AES256' }],
    [
      'OBS SSE-C (mixed-case name as documented)',
      {
        'x-obs-server-side-encryption-customer-algorithm': 'AES256',
        'x-obs-server-side-encryption-customer-key-MD5': 'bWQ1',
      },
      { customerAlgorithm: 'AES256', customerKeyMd5: 'bWQ1' },
    ],
  ])('%s', (_, headers, expected) => {
    expect(storedEncryptionFromHeaders(headers)).toEqual(expected)
  })
})

describe('the answer is compared with what was asked', () => {
  it('AES256 asked, nothing answered: ENCRYPTION_NOT_APPLIED naming what was asked and what the server did', () => {
    expect(() => assertEncryptionApplied({ ServerSideEncryption: 'AES256' }, {}, where)).toThrow(
      expect.objectContaining({
        code: 'ENCRYPTION_NOT_APPLIED',
        message: expect.stringMatching(/b\/k\.txt.*SSE-OBS\/SSE-S3 \(AES256\).*confirmed no encryption/),
      }),
    )
  })

  it('SSE-KMS with a key: the same key in any of its forms passes, another key or none fails', () => {
    expect(encryptionMismatch(kms, { algorithm: 'kms', kmsKeyId: 'testkey-1' })).toBeUndefined()
    expect(encryptionMismatch(kms, { algorithm: 'kms', kmsKeyId: 'eu-de:dom:key/testkey-1' })).toBeUndefined()
    expect(
      encryptionMismatch(kms, { algorithm: 'kms', kmsKeyId: 'arn:aws:kms:r:1:key/testkey-1' }),
    ).toBeUndefined()
    expect(encryptionMismatch(kms, { algorithm: 'kms', kmsKeyId: 'testkey-2' })).toBeDefined()
    expect(encryptionMismatch(kms, { algorithm: 'kms' })).toBeDefined()
    expect(encryptionMismatch(kms, { algorithm: 'AES256' })).toBeDefined()
    expect(encryptionMismatch(kms, {})).toBeDefined()
    expect(() => assertEncryptionApplied(kms, { algorithm: 'kms', kmsKeyId: 'testkey-2' }, where)).toThrow(
      /SSE-KMS with key "testkey-1".*KMS key "testkey-2"/,
    )
  })

  it("SSE-KMS with the provider's default key: any key the server names passes", () => {
    const asked = { ServerSideEncryption: 'aws:kms' as const }
    expect(encryptionMismatch(asked, { algorithm: 'kms', kmsKeyId: 'obs/default-id' })).toBeUndefined()
    expect(encryptionMismatch(asked, { algorithm: 'kms' })).toBeUndefined()
    expect(encryptionMismatch(asked, {})).toBeDefined()
  })

  it('SSE-C: the customer key MD5 must come back', () => {
    expect(encryptionMismatch(sseC, { customerAlgorithm: 'AES256', customerKeyMd5: 'bWQ1' })).toBeUndefined()
    expect(
      encryptionMismatch(sseC, { customerAlgorithm: 'AES256', customerKeyMd5: 'b3RoZXI=' }),
    ).toBeDefined()
    expect(encryptionMismatch(sseC, {})).toBeDefined()
  })

  it('AES256 answered as AES256 passes; a plain upload asks for nothing to be confirmed', () => {
    expect(encryptionMismatch({ ServerSideEncryption: 'AES256' }, { algorithm: 'AES256' })).toBeUndefined()
    expect(encryptionMismatch({}, {})).toBeUndefined()
    expect(() => assertEncryptionApplied({}, {}, where)).not.toThrow()
  })
})

describe('a remote copy with our content is adopted by a sync only when it holds the encryption asked for', () => {
  it.each([
    [
      'SSE-KMS with the key asked, in another form',
      { mode: 'sse-kms', keyId: 'testkey-1' },
      { algorithm: 'kms', kmsKeyId: 'cn-north-4:dom:key/testkey-1' },
      true,
    ],
    ['SSE-KMS asked, stored unencrypted', { mode: 'sse-kms', keyId: 'testkey-1' }, {}, false],
    [
      'SSE-KMS asked, stored with another key',
      { mode: 'sse-kms', keyId: 'testkey-1' },
      { algorithm: 'kms', kmsKeyId: 'other' },
      false,
    ],
    ['AES256 asked, stored unencrypted (RGW 16)', { mode: 'sse-obs' }, {}, false],
    ['AES256 asked and stored', { mode: 'sse-obs' }, { algorithm: 'AES256' }, true],
    ['no encryption asked', { mode: 'none' }, { algorithm: 'AES256' }, true],
    [
      'SSE-C asked: cannot be confirmed without the key',
      { mode: 'sse-c', customerKeyName: 'k' },
      { customerAlgorithm: 'AES256' },
      false,
    ],
  ] as const)('%s', (_, choice, stored, adopted) => {
    expect(storedMatchesChoice(choice, stored)).toBe(adopted)
  })
})
