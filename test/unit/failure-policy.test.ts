import { describe, expect, it } from 'vitest'
import {
  CHANGED_SETTLE_MS,
  decideFailure,
  MAX_CHANGED_RETRIES,
  MAX_SERVER_ERROR_ATTEMPTS,
} from '../../main/core/queue/failure-policy'

const NOW = 1_000_000
const job = (attempts = 1, changedRetries = 0) => ({ attempts, changedRetries })
const error = (code: string) => ({ code, message: code }) as never

describe('what a failed upload attempt leads to', () => {
  it('a file that changed while uploading is sent again once it settled, a few times, then fails', () => {
    expect(decideFailure(job(1, 0), error('SOURCE_CHANGED'), NOW)).toEqual({
      outcome: 'retry',
      retryAt: NOW + CHANGED_SETTLE_MS,
      changedRetries: 1,
      discardMultipart: true,
    })
    expect(decideFailure(job(6, MAX_CHANGED_RETRIES), error('SOURCE_CHANGED'), NOW)).toEqual({
      outcome: 'fail',
      discardMultipart: true,
    })
  })

  it('network errors retry with backoff for as long as it takes and mark the queue offline', () => {
    const decision = decideFailure(job(40), error('NETWORK'), NOW, () => 0.5)
    expect(decision).toMatchObject({ outcome: 'retry', offline: true, discardMultipart: false })
    expect(decision.retryAt).toBeGreaterThan(NOW)
  })

  it('server errors retry without calling the queue offline, and give up after a number of attempts', () => {
    expect(decideFailure(job(1), error('SERVER_ERROR'), NOW, () => 0.5)).toMatchObject({
      outcome: 'retry',
      offline: false,
    })
    expect(decideFailure(job(MAX_SERVER_ERROR_ATTEMPTS), error('SERVER_ERROR'), NOW).outcome).toBe('fail')
  })

  it('account-wide errors hold the account; anything else fails the job with its reason', () => {
    expect(decideFailure(job(), error('BAD_CREDENTIALS'), NOW).outcome).toBe('hold-account')
    expect(decideFailure(job(), error('KEYCHAIN_LOCKED'), NOW).outcome).toBe('hold-account')
    expect(decideFailure(job(), error('KMS_KEY_DISABLED'), NOW).outcome).toBe('fail')
    expect(decideFailure(job(), error('SOURCE_GONE'), NOW)).toEqual({
      outcome: 'fail',
      discardMultipart: true,
    })
  })
})
