import type { IpcError } from '../../../preload/contract/errors'
import type { JobStore, StoredJob } from './job-store'

type Waiter = (changedJobId?: number, changedJob?: StoredJob) => void

/**
 * Promises that resolve when given jobs stop moving, driven by the queue's job changes (no polling).
 * `beforeResolve` runs just before a wait ends: the queue sends the job changes it is still holding back
 * (job-events.ts) and the activity lines of finished uploads (activity-log.ts), so whoever waited (the CLI's `upload` and `sync`) has heard every change that ended the wait
 * before it goes on to print its summary and stop listening.
 */
export function createJobWaiters(store: JobStore, beforeResolve: () => void = () => {}) {
  const waiters = new Set<Waiter>()

  /**
   * Resolves when none of `ids` is waiting or running any more (CLI `upload` waits with it: queue:wait). Jobs
   * held because their account needs fixing will not move by waiting, so they end the wait too. Driven by job
   * events, with one look at the store per change rather than polling every job.
   */
  function whenEnded(ids: number[]): Promise<void> {
    // A paused job (held with its batch's reason, or by the user) does not move by waiting either.
    const ended = (j: Pick<StoredJob, 'state' | 'accountId'> | undefined, held: Set<string>) =>
      !j ||
      j.state === 'done' ||
      j.state === 'failed' ||
      j.state === 'cancelled' ||
      j.state === 'paused' ||
      held.has(j.accountId)
    return new Promise((resolveWait) => {
      const remaining = new Set(ids)
      const check: Waiter = (changed, changedJob) => {
        const held = new Set(store.pausedAccounts().map((a) => a.accountId))
        // Usually only the job that changed needs a look; a held account can end many waits at once.
        const candidates = changed !== undefined && held.size === 0 ? [changed] : [...remaining]
        for (const id of candidates) {
          if (!remaining.has(id)) continue
          const job = id === changed && changedJob ? changedJob : store.stateOf(id)
          if (ended(job, held)) remaining.delete(id)
        }
        if (remaining.size > 0) return
        waiters.delete(check)
        beforeResolve()
        resolveWait()
      }
      waiters.add(check)
      check()
    })
  }

  return {
    /** A job changed (`job`: as just written, when known): every wait looks at it. */
    notify(id: number, job?: StoredJob): void {
      for (const waiter of [...waiters]) waiter(id, job)
    },

    whenEnded,

    /** whenEnded, answered with every job as it is then: for a few jobs (tests); queue:wait answers outcomeOf. */
    async waitFor(ids: number[]): Promise<StoredJob[]> {
      await whenEnded(ids)
      return ids.map((id) => store.get(id)).filter((j): j is StoredJob => j !== undefined)
    },

    /**
     * Resolves when a watched folder has no upload queued or running any more, or when its account is held
     * (answered with the account's reason: waiting would not move its jobs). Looks again only when a job of
     * the folder or of its account changed.
     */
    waitForPair(pairId: string, accountId: string): Promise<{ held?: IpcError }> {
      return new Promise((resolveWait) => {
        const check: Waiter = (_id, changedJob) => {
          // A job of another folder of the same account may be the one that found the account held.
          if (changedJob && changedJob.syncPairId !== pairId && changedJob.accountId !== accountId) return
          const held = store.pausedAccounts().find((a) => a.accountId === accountId)
          if (store.pendingFor(pairId) > 0 && !held) return
          waiters.delete(check)
          beforeResolve()
          resolveWait({ held: held?.reason })
        }
        waiters.add(check)
        check()
      })
    },

    /** Forgets every wait (the queue stopped; its process is ending). */
    clear(): void {
      waiters.clear()
    },
  }
}
