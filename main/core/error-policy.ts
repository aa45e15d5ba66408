import type { ErrorCode } from '../../preload/contract/errors'

/**
 * Each error class has one policy (as rclone's fserrors): retry the job later, fail the job with its reason,
 * or stop every job of the account until the user fixes the account.
 */
export type ErrorPolicy = 'retry' | 'fail-job' | 'pause-account'

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['ENDPOINT_UNREACHABLE', 'NETWORK', 'SERVER_ERROR'])
const ACCOUNT_WIDE: ReadonlySet<ErrorCode> = new Set([
  'BAD_CREDENTIALS',
  'CLOCK_SKEW',
  'TLS_FAILURE',
  'CREDENTIALS_MISSING',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
])

export function errorPolicy(code: ErrorCode): ErrorPolicy {
  if (RETRYABLE.has(code)) return 'retry'
  if (ACCOUNT_WIDE.has(code)) return 'pause-account'
  return 'fail-job'
}
