import { AppError } from '../errors'
import { describeOffset } from './clock-skew'

/** What the request was about, so that messages can name the endpoint, bucket or key concerned. */
export interface ErrorContext {
  endpoint?: string
  bucket?: string
  key?: string
  kmsKeyId?: string
}

interface ServiceErrorLike {
  name?: string
  code?: string
  Code?: string
  message?: string
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean }
  $response?: { headers?: Record<string, string | undefined> }
  cause?: unknown
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
])

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
])

/**
 * A time limit ran out (network-watchdog.ts, or the SDK's own timeouts). The SDK's handler also names a reset
 * connection TimeoutError; that one is a reset, not a timeout.
 */
function isTimeout(e: ServiceErrorLike, nodeCode: string): boolean {
  if (nodeCode === 'ETIMEDOUT') return true
  return e.name === 'TimeoutError' && nodeCode !== 'ECONNRESET' && nodeCode !== 'EPIPE'
}

function errorCodeOf(error: ServiceErrorLike): string {
  return error.Code ?? error.name ?? error.code ?? ''
}

/** The sentence for an archived object read without a restored copy; the UI adds the restore action. */
export function archivedMessage(key: string): string {
  return `"${key}" is archived (Cold storage): restore it first, then download or share it. A restore makes a readable copy for 1 to 30 days.`
}

/** What a window needs to word the error in its own language (the English message above names the same). */
function paramsOf(context: ErrorContext): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  if (context.endpoint) params.endpoint = context.endpoint
  if (context.bucket) params.bucket = context.bucket
  if (context.key) params.key = context.key
  if (context.kmsKeyId) params.kmsKey = context.kmsKeyId
  return Object.keys(params).length ? params : undefined
}

function keyName(context: ErrorContext): string {
  return context.kmsKeyId ? `KMS key "${context.kmsKeyId}"` : 'the KMS key'
}

function where(context: ErrorContext): string {
  return context.endpoint ? ` at ${context.endpoint}` : ''
}

/**
 * Turns whatever the SDK, Node's network stack or TLS threw into one AppError with a code from the taxonomy
 * and a sentence that names the thing at fault and the fix. Classified once, here, for every operation.
 */
export function classifyS3Error(error: unknown, context: ErrorContext = {}): AppError {
  if (error instanceof AppError) return error
  const e = (error ?? {}) as ServiceErrorLike
  const code = errorCodeOf(e)
  const nodeCode = (e.code ?? (e.cause as ServiceErrorLike | undefined)?.code ?? '') as string
  const status = e.$metadata?.httpStatusCode
  const detail = e.message ? ` (${e.message})` : ''
  const make = (c: ConstructorParameters<typeof AppError>[0], message: string) =>
    new AppError(c, message, { cause: error, params: paramsOf(context) })

  if (isTimeout(e, nodeCode)) {
    return make(
      'NETWORK',
      `The connection to ${context.endpoint ?? 'the endpoint'} stalled: ${e.message ?? 'timed out'}. OBS Sync will retry.`,
    )
  }
  if (nodeCode === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return make(
      'TLS_FAILURE',
      `The TLS certificate of ${context.endpoint ?? 'the endpoint'} is made out to another name${detail}. Check the endpoint address in the account settings; verification is never turned off.`,
    )
  }
  if (
    TLS_CODES.has(nodeCode) ||
    TLS_CODES.has(code) ||
    /certificate|self[- ]signed|SSL routines/i.test(e.message ?? '')
  ) {
    return make(
      'TLS_FAILURE',
      `The TLS certificate of ${context.endpoint ?? 'the endpoint'} cannot be verified${detail}. If it is signed by your own CA, add that CA certificate file to the account; verification is never turned off.`,
    )
  }
  if (nodeCode === 'ENOTFOUND') {
    return make(
      'HOST_NOT_FOUND',
      `The host name of ${context.endpoint ?? 'the endpoint'} does not resolve${detail}. Check the endpoint address in the account settings (and a VPN it may need).`,
    )
  }
  if (NETWORK_CODES.has(nodeCode) || NETWORK_CODES.has(code)) {
    return make(
      'ENDPOINT_UNREACHABLE',
      `The endpoint${where(context)} cannot be reached${detail}. Check the address, your network and any proxy.`,
    )
  }
  // Ceph RGW reports an unknown KMS key as 403 InvalidAccessKeyId "Failed to retrieve the actual key, kms-keyid: …".
  if (/kms-keyid|retrieve the actual key/i.test(e.message ?? '')) {
    return make(
      'KMS_KEY_NOT_FOUND',
      `${keyName(context)} does not exist on this server. Pick a key from the list or check the id.`,
    )
  }
  switch (code) {
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'InvalidToken':
    case 'ExpiredToken':
      return make(
        'BAD_CREDENTIALS',
        `The access key or secret key was refused${where(context)}. Check both in the account settings.`,
      )
    case 'RequestTimeTooSkewed': {
      const offset = describeOffset(e.$response?.headers?.date)
      const off = offset ? `is ${offset}` : "differs too much from the server's"
      // The SDK has just learnt the server's time from this answer: the next attempt is signed with it.
      if (e.$metadata?.clockSkewCorrected) {
        return make(
          'NETWORK',
          `This computer's clock ${off}; OBS Sync now uses the server's time and will retry.`,
        )
      }
      return make(
        'CLOCK_SKEW',
        `This computer's clock ${off}, and signing with the server's time did not help. Set the clock automatically (NTP) and try again.`,
      )
    }
    case 'NoSuchBucket':
      return make('NO_SUCH_BUCKET', `The bucket "${context.bucket ?? ''}" does not exist${where(context)}.`)
    case 'NoSuchKey':
    case 'NotFound':
      if (!context.key && code === 'NotFound' && context.bucket) {
        return make('NO_SUCH_BUCKET', `The bucket "${context.bucket}" does not exist${where(context)}.`)
      }
      return make(
        'NOT_FOUND',
        `The object "${context.key ?? ''}" does not exist in "${context.bucket ?? ''}".`,
      )
    case 'InvalidObjectState':
      return make('OBJECT_ARCHIVED', archivedMessage(context.key ?? ''))
    case 'EntityTooLarge':
      return make('ENTITY_TOO_LARGE', 'The file is larger than the server accepts in one request.')
    case 'KMS.DisabledException':
    case 'KMS.Disabled':
      return make(
        'KMS_KEY_DISABLED',
        `${keyName(context)} is disabled, so objects encrypted with it cannot be written or read. Enable the key in the provider's KMS console, or choose another key.`,
      )
    case 'KMS.NotFoundException':
    case 'KMS.NotFound':
      return make(
        'KMS_KEY_NOT_FOUND',
        `${keyName(context)} does not exist in this account and region. Pick a key from the list or check the id.`,
      )
    case 'KMS.KMSInvalidStateException':
    case 'KMS.InvalidState':
      return make(
        'KMS_KEY_PENDING_DELETION',
        `${keyName(context)} is scheduled for deletion and cannot be used. Cancel the deletion in the provider's KMS console, or choose another key.`,
      )
    case 'KMS.AccessDeniedException':
      return make(
        'KMS_PERMISSION_MISSING',
        `The account may not use ${keyName(context)}: it needs the KMS permissions kms:cmk:get, kms:dek:create and kms:dek:crypto (on AWS: kms:GenerateDataKey and kms:Decrypt).`,
      )
    case 'AccessDenied':
    case 'Forbidden':
      return make(
        'ACCESS_DENIED',
        `Access was denied${context.bucket ? ` to bucket "${context.bucket}"` : ''}${where(context)}. The account lacks the permission for this operation.`,
      )
  }
  if (code === 'InvalidRequest' && /ssl|https|secure/i.test(e.message ?? '')) {
    return make(
      'HTTPS_REQUIRED',
      'The server accepts encrypted uploads over HTTPS only. Use an https:// endpoint.',
    )
  }
  if (status === 403) return classifyS3Error({ ...e, name: 'AccessDenied' }, context)
  if (
    status !== undefined &&
    (status >= 500 || status === 429 || code === 'SlowDown' || code === 'ServiceUnavailable')
  ) {
    return make(
      'SERVER_ERROR',
      `The server${where(context)} is busy or failing (HTTP ${status}). OBS Sync will retry.`,
    )
  }
  return make(
    'REQUEST_REFUSED',
    `The server refused the request${status ? ` (HTTP ${status}` : ' ('}${code ? `${status ? ', ' : ''}${code}` : ''})${detail}.`,
  )
}
