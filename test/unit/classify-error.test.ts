import { describe, expect, it } from 'vitest'
import { errorPolicy } from '../../main/core/error-policy'
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
    ['dns', netError('ENOTFOUND'), 'ENDPOINT_UNREACHABLE', /obs\.example/],
    ['tls', netError('SELF_SIGNED_CERT_IN_CHAIN'), 'TLS_FAILURE', /CA certificate/],
    ['https to http port', netError('EPROTO'), 'TLS_FAILURE', /certificate/],
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

  it('gives each class one policy: retry, fail the job, or pause the account', () => {
    expect(errorPolicy('ENDPOINT_UNREACHABLE')).toBe('retry')
    expect(errorPolicy('SERVER_ERROR')).toBe('retry')
    expect(errorPolicy('BAD_CREDENTIALS')).toBe('pause-account')
    expect(errorPolicy('KEYCHAIN_LOCKED')).toBe('pause-account')
    expect(errorPolicy('KMS_KEY_DISABLED')).toBe('fail-job')
    expect(errorPolicy('ACCESS_DENIED')).toBe('fail-job')
  })
})
