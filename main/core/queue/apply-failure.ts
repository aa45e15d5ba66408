import type { IpcError } from '../../../preload/contract/errors'
import { AppError, toIpcError } from '../errors'
import { decideFailure } from './failure-policy'
import type { JobStore, StoredJob } from './job-store'
import type { Stop } from './queue-scheduler'

export interface ApplyFailureDeps {
  store: JobStore
  now: () => number
  random?: () => number
  log: (message: string, error?: unknown) => void
  /** Drops a job's unfinished multipart upload on the server. */
  discard: (job: StoredJob) => Promise<void>
  /** A job changed: tell the UI and the waits. */
  announce: (id: number) => void
  notifyFinished: (id: number, outcome: 'failed' | 'cancelled') => void
  status: { wentOffline(error: IpcError): void; failed(error: IpcError, jobs: number): void }
  /** A job waits for its retry time: the scheduler must wake up then. */
  retryScheduled: () => void
}

/**
 * What happens to a job whose attempt ended without its upload: stopped from outside (pause, cancel, shutdown),
 * or failed, then handled by its error class's one policy (failure-policy.ts decides; this applies it): retried
 * later, the account held, or the job failed and the rest of its batch held with the same reason.
 */
export function createFailureHandler(deps: ApplyFailureDeps) {
  const { store } = deps
  return async function fail(job: StoredJob, error: unknown, stop: Stop | undefined): Promise<void> {
    if (stop === 'pause') return store.pause(job.id)
    if (stop === 'shutdown') return store.requeue(job.id)
    if (stop === 'cancel') {
      await deps.discard(job)
      store.finish(job.id, { state: 'cancelled' })
      return deps.notifyFinished(job.id, 'cancelled')
    }
    if (!(error instanceof AppError)) deps.log(`Upload job ${job.id} failed unexpectedly`, error)
    const ipcError = toIpcError(error)
    const decision = decideFailure(job, ipcError, deps.now(), deps.random)
    if (decision.discardMultipart) await deps.discard(job)
    if (decision.outcome === 'retry') {
      if (decision.offline) deps.status.wentOffline(ipcError)
      deps.retryScheduled()
      return store.requeue(job.id, {
        error: ipcError,
        retryAt: decision.retryAt as number,
        changedRetries: decision.changedRetries ?? job.changedRetries,
      })
    }
    if (decision.outcome === 'hold-account') {
      // Every job of this account would fail the same way: hold them until the user fixes the account.
      store.pauseAccount(job.accountId, ipcError)
      return store.hold(job.id, ipcError)
    }
    store.finish(job.id, { state: 'failed', error: ipcError })
    deps.notifyFinished(job.id, 'failed')
    // The next jobs of this batch would fail the same way: hold them with this reason, to be retried or
    // cancelled together once the cause is fixed (the UI shows them as one problem).
    const held = decision.holdBatch
      ? store.holdBatch(job.id, ipcError, decision.holdBatch === 'encryption')
      : []
    deps.status.failed(ipcError, 1 + held.length)
    for (const id of held) deps.announce(id)
    if (held.length > 0) deps.log(`${held.length} upload(s) held: ${ipcError.message}`)
  }
}
