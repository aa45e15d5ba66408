import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalRequest, sdkDate, signRequest, stringToSign } from '../../main/core/kms/huawei-signer'

/**
 * The worked example of Huawei Cloud's API Request Signing Guide, step by step:
 * - request and canonical request: https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html
 * - string to sign (hash b25362e6...): https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-003.html
 * - signature with SK MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc (7be66680...):
 *   https://support.huaweicloud.com/intl/ar-mena/devg-apisign/api-sign-algorithm-004.html
 * - Authorization header with AK QTWAOYTTINDUT2QVKYUC:
 *   https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-005.html
 */
const example = {
  method: 'GET',
  url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
  headers: { 'Content-Type': 'application/json' },
  body: '',
}
const credentials = {
  accessKeyId: 'QTWAOYTTINDUT2QVKYUC',
  secretAccessKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
}
const signingTime = new Date('2019-11-15T03:36:55Z')

describe('SDK-HMAC-SHA256 signer, against the published example', () => {
  it('formats X-Sdk-Date as YYYYMMDDTHHMMSSZ', () => {
    expect(sdkDate(signingTime)).toBe('20191115T033655Z')
  })

  it('builds the documented canonical request', () => {
    const { text, signedHeaders } = canonicalRequest({
      ...example,
      headers: { ...example.headers, Host: 'service.region.example.com', 'X-Sdk-Date': '20191115T033655Z' },
    })
    expect(text).toBe(
      [
        'GET',
        '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
        'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        'content-type:application/json',
        'host:service.region.example.com',
        'x-sdk-date:20191115T033655Z',
        '',
        'content-type;host;x-sdk-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    )
    expect(signedHeaders).toBe('content-type;host;x-sdk-date')
    expect(createHash('sha256').update(text).digest('hex')).toBe(
      'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
    )
    expect(stringToSign(text, '20191115T033655Z')).toBe(
      'SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
    )
  })

  it('produces the documented signature and Authorization header', () => {
    const headers = signRequest(example, credentials, signingTime)
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    )
    expect(headers['X-Sdk-Date']).toBe('20191115T033655Z')
    expect(headers.Host).toBe('service.region.example.com')
  })

  it('signs the body and keeps a non-default port in Host', () => {
    const post = {
      method: 'POST',
      url: 'https://127.0.0.1:8443/v1.0/p/kms/list-keys',
      headers: {},
      body: '{"limit":"2"}',
    }
    const signed = signRequest(post, credentials, signingTime)
    expect(signed.Host).toBe('127.0.0.1:8443')
    const other = signRequest({ ...post, body: '{"limit":"3"}' }, credentials, signingTime)
    expect(other.Authorization).not.toBe(signed.Authorization)
  })
})
