import type { ErrorCode } from '../../preload/contract/errors'

/**
 * Each error class has one policy (as rclone's fserrors): retry the job later, fail the job with its reason,
 * or stop every job of the account until the user fixes the account.
 */
export type ErrorPolicy = 'retry' | 'fail-job' | 'pause-account'

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'ENDPOINT_UNREACHABLE',
  'NETWORK',
  'SERVER_ERROR',
  'HOST_NOT_FOUND',
  // Saving the job's state failed on a full disk; the upload itself may be fine: try again once space is freed.
  'DISK_FULL',
])

/**
 * Retryable errors that waiting rarely fixes are given up after this many attempts of a job and reported:
 * a server failing a dozen times (backoff ~6 min), a host name that does not exist (~1-2 min: a typo, or a
 * VPN that is off). Network errors without a limit retry for as long as it takes: the network comes back.
 */
const ATTEMPT_LIMITS: Partial<Record<ErrorCode, number>> = { SERVER_ERROR: 12, HOST_NOT_FOUND: 8 }

export function attemptLimit(code: ErrorCode): number {
  return ATTEMPT_LIMITS[code] ?? Number.POSITIVE_INFINITY
}
const ACCOUNT_WIDE: ReadonlySet<ErrorCode> = new Set([
  'BAD_CREDENTIALS',
  'CLOCK_SKEW',
  'TLS_FAILURE',
  'CREDENTIALS_MISSING',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
])

/**
 * Errors that will fail every job of the same batch, not just this one: the key, the permission, the bucket or the
 * server's handling of the encryption is at fault, not the file. The rest of the batch is held with the same reason
 * instead of failing one request at a time. `bucket`: every job to that bucket of the account; `encryption`: those
 * with the same bucket and encryption.
 */
const BATCH_WIDE: ReadonlyMap<ErrorCode, 'bucket' | 'encryption'> = new Map([
  ['NO_SUCH_BUCKET', 'bucket'],
  ['ACCESS_DENIED', 'bucket'],
  ['KMS_KEY_NOT_FOUND', 'encryption'],
  ['KMS_KEY_DISABLED', 'encryption'],
  ['KMS_KEY_PENDING_DELETION', 'encryption'],
  ['KMS_PERMISSION_MISSING', 'encryption'],
  ['KMS_KEY_REQUIRED', 'encryption'],
  ['ENCRYPTION_NOT_APPLIED', 'encryption'],
  ['HTTPS_REQUIRED', 'encryption'],
] as const)

export function batchScope(code: ErrorCode): 'bucket' | 'encryption' | undefined {
  return BATCH_WIDE.get(code)
}

export function errorPolicy(code: ErrorCode): ErrorPolicy {
  if (RETRYABLE.has(code)) return 'retry'
  if (ACCOUNT_WIDE.has(code)) return 'pause-account'
  return 'fail-job'
}
