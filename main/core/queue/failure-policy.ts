import type { IpcError } from '../../../preload/contract/errors'
import { attemptLimit, batchScope, errorPolicy } from '../error-policy'
import { backoffDelayMs } from './backoff'
import type { StoredJob } from './job-store'

/** Retryable server errors give up after this many attempts (limits per error: error-policy.ts). */
export const MAX_SERVER_ERROR_ATTEMPTS = attemptLimit('SERVER_ERROR')
/** A file that keeps changing while it is uploaded is retried this often, then reported. */
export const MAX_CHANGED_RETRIES = 5
/** How long a file that changed during its upload is left to settle before it is sent again. */
export const CHANGED_SETTLE_MS = 2000

/** What becomes of a job whose attempt failed with `error`. */
export interface FailureDecision {
  /** Queued again to run at `retryAt`; `offline` when the cause is the network (the status shows it). */
  outcome: 'retry' | 'hold-account' | 'fail'
  /** With `fail`: the rest of the job's batch is held with the same reason (see batchScope). */
  holdBatch?: 'bucket' | 'encryption'
  retryAt?: number
  changedRetries?: number
  offline?: boolean
  /** Its unfinished multipart upload is dropped first (the source vanished or changed: the parts are stale). */
  discardMultipart: boolean
}

/**
 * The one policy per error class, for one failed attempt: a source that changed is sent again after it settled
 * (a few times), network and server errors are retried with backoff (server errors and unknown host names not forever), account-wide
 * errors hold every job of the account, anything else fails the job with its reason.
 */
export function decideFailure(
  job: Pick<StoredJob, 'attempts' | 'changedRetries'>,
  error: IpcError,
  nowMs: number,
  random?: () => number,
): FailureDecision {
  const sourceMoved = error.code === 'SOURCE_GONE' || error.code === 'SOURCE_CHANGED'
  if (error.code === 'SOURCE_CHANGED' && job.changedRetries < MAX_CHANGED_RETRIES) {
    return {
      outcome: 'retry',
      retryAt: nowMs + CHANGED_SETTLE_MS,
      changedRetries: job.changedRetries + 1,
      discardMultipart: true,
    }
  }
  const policy = errorPolicy(error.code)
  const giveUp = job.attempts >= attemptLimit(error.code)
  if (policy === 'retry' && !giveUp) {
    return {
      outcome: 'retry',
      retryAt: nowMs + backoffDelayMs(job.attempts, random),
      offline: error.code !== 'SERVER_ERROR',
      discardMultipart: sourceMoved,
    }
  }
  if (policy === 'pause-account') return { outcome: 'hold-account', discardMultipart: sourceMoved }
  const holdBatch = batchScope(error.code)
  return holdBatch
    ? { outcome: 'fail', holdBatch, discardMultipart: sourceMoved }
    : { outcome: 'fail', discardMultipart: sourceMoved }
}
