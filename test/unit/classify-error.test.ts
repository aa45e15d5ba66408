import { describe, expect, it } from 'vitest'
import { attemptLimit, errorPolicy } from '../../main/core/error-policy'
import { classifyS3Error } from '../../main/core/storage/classify-error'

function serviceError(name: string, status: number, message = '') {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })
}
function netError(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code })
}

describe('one error taxonomy for every storage call', () => {
  const ctx = { endpoint: 'https://obs.example', bucket: 'photos', kmsKeyId: 'my-key' }
  const cases: [string, unknown, string, RegExp][] = [
    [
      'bad access key',
      serviceError('InvalidAccessKeyId', 403),
      'BAD_CREDENTIALS',
      /access key or secret key/,
    ],
    ['bad secret', serviceError('SignatureDoesNotMatch', 403), 'BAD_CREDENTIALS', /account settings/],
    ['clock skew', serviceError('RequestTimeTooSkewed', 403), 'CLOCK_SKEW', /clock/],
    ['unreachable', netError('ECONNREFUSED'), 'ENDPOINT_UNREACHABLE', /cannot be reached/],
    ['dns', netError('ENOTFOUND'), 'HOST_NOT_FOUND', /host name of https:\/\/obs\.example does not resolve/],
    ['dns not now', netError('EAI_AGAIN'), 'ENDPOINT_UNREACHABLE', /cannot be reached/],
    ['tls', netError('SELF_SIGNED_CERT_IN_CHAIN'), 'TLS_FAILURE', /CA certificate/],
    ['https to http port', netError('EPROTO'), 'TLS_FAILURE', /certificate/],
    [
      'certificate for another name',
      netError('ERR_TLS_CERT_ALTNAME_INVALID'),
      'TLS_FAILURE',
      /made out to another name.*Check the endpoint address/,
    ],
    ['no bucket', serviceError('NoSuchBucket', 404), 'NO_SUCH_BUCKET', /"photos" does not exist/],
    ['access denied', serviceError('AccessDenied', 403), 'ACCESS_DENIED', /bucket "photos"/],
    ['bare 403', serviceError('UnknownError', 403), 'ACCESS_DENIED', /denied/],
    [
      'key not found',
      serviceError('KMS.NotFoundException', 400),
      'KMS_KEY_NOT_FOUND',
      /"my-key" does not exist/,
    ],
    [
      'key disabled',
      serviceError('KMS.DisabledException', 400),
      'KMS_KEY_DISABLED',
      /"my-key" is disabled.*Enable/,
    ],
    [
      'key pending deletion',
      serviceError('KMS.KMSInvalidStateException', 400),
      'KMS_KEY_PENDING_DELETION',
      /deletion/,
    ],
    [
      'kms permission',
      serviceError('KMS.AccessDeniedException', 403),
      'KMS_PERMISSION_MISSING',
      /kms:dek:create/,
    ],
    ['https required', serviceError('InvalidRequest', 400, 'SSL required'), 'HTTPS_REQUIRED', /HTTPS only/],
    ['too large', serviceError('EntityTooLarge', 400), 'ENTITY_TOO_LARGE', /larger/],
    ['5xx', serviceError('InternalError', 503), 'SERVER_ERROR', /HTTP 503/],
    ['throttled', serviceError('SlowDown', 503), 'SERVER_ERROR', /retry/],
    ['other 4xx', serviceError('WeirdThing', 409, 'nope'), 'REQUEST_REFUSED', /409, WeirdThing/],
  ]
  it.each(cases)('%s', (_label, error, code, message) => {
    const classified = classifyS3Error(error, ctx)
    expect(classified.code).toBe(code)
    expect(classified.message).toMatch(message)
  })

  it('clock skew: names how far off the clock is; once the SDK corrected its offset, a retryable error', () => {
    const date = new Date(Date.now() - 20 * 60_000).toUTCString()
    const refused = Object.assign(serviceError('RequestTimeTooSkewed', 403), {
      $response: { headers: { date } },
    })
    const held = classifyS3Error(refused, ctx)
    expect(held.code).toBe('CLOCK_SKEW')
    expect(held.message).toMatch(/clock is ahead of the server's by 20 minutes/)
    expect(errorPolicy(held.code)).toBe('pause-account')
    const corrected = Object.assign(serviceError('RequestTimeTooSkewed', 403), {
      $response: { headers: { date } },
      $metadata: { httpStatusCode: 403, clockSkewCorrected: true },
    })
    const retried = classifyS3Error(corrected, ctx)
    expect(retried.code).toBe('NETWORK')
    expect(retried.message).toMatch(
      /ahead of the server's by 20 minutes; OBS Sync now uses the server's time/,
    )
  })

  it('gives each class one policy: retry, fail the job, or pause the account', () => {
    for (const code of ['ENDPOINT_UNREACHABLE', 'SERVER_ERROR', 'HOST_NOT_FOUND'] as const) {
      expect(errorPolicy(code), code).toBe('retry')
    }
    for (const code of ['BAD_CREDENTIALS', 'KEYCHAIN_LOCKED', 'TLS_FAILURE'] as const) {
      expect(errorPolicy(code), code).toBe('pause-account')
    }
    for (const code of ['KMS_KEY_DISABLED', 'ACCESS_DENIED'] as const)
      expect(errorPolicy(code), code).toBe('fail-job')
    expect(attemptLimit('HOST_NOT_FOUND')).toBe(8)
    expect(attemptLimit('SERVER_ERROR')).toBe(12)
    expect(attemptLimit('NETWORK')).toBe(Number.POSITIVE_INFINITY)
  })
})
