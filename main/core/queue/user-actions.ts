import type { JobState, JobTarget } from '../../../preload/contract/queue-models'
import { AppError } from '../errors'
import { coversAccount, type JobScope } from './job-scope'
import type { JobStore, StoredJob } from './job-store'
import type { Scheduler } from './queue-scheduler'

/** One job, all of them, a group of them (ids), or those of an account and/or watched folder (job-scope.ts). */
export type { JobTarget } from '../../../preload/contract/queue-models'

const isScope = (target: JobTarget): target is JobScope =>
  typeof target === 'object' && !Array.isArray(target)

export interface UserActionDeps {
  store: JobStore
  scheduler: Pick<Scheduler, 'schedule' | 'stopRunning'>
  /** A job changed: tell the UI and the waits. */
  announce: (id: number) => void
  /** Drops a job's unfinished multipart upload on the server. */
  discard: (job: StoredJob) => Promise<void>
  notifyFinished: (id: number, outcome: 'failed' | 'cancelled') => void
  /** `recountFailures`: after jobs left the failed or held state, the status names what is left of each cause. */
  status: { publish(): void; recountFailures(): void }
}

/** What the user does to one job or to all of them: pause, resume, cancel, retry. */
export function createUserActions(deps: UserActionDeps) {
  /** The jobs a target names; for 'all' or a scope, only those in `states` are read (the queue may hold 100,000 done). */
  function targets(target: JobTarget, states: readonly JobState[]): StoredJob[] {
    if (target === 'all') return deps.store.inStates(states)
    if (isScope(target)) return deps.store.inStates(states, target)
    // A group of jobs (the transfers view's grouped problem): those that still exist.
    if (Array.isArray(target))
      return target.map((id) => deps.store.get(id)).filter((j): j is StoredJob => j !== undefined)
    const job = deps.store.get(target)
    if (!job)
      throw new AppError('NOT_FOUND', `There is no upload job ${target}.`, {
        params: { cause: 'jobGone', job: target },
      })
    return [job]
  }

  /**
   * The whole queue was paused ('all', which also holds what is queued later) and the user resumes one account or
   * folder: the queue runs again, and the jobs queued outside the scope since then are paused one by one, so that
   * they stay paused as the user left them.
   */
  function keepPausedOutside(scope: JobScope): void {
    const inside = new Set(deps.store.inStates(['queued'], scope).map((j) => j.id))
    for (const job of deps.store.inStates(['queued'])) {
      if (inside.has(job.id)) continue
      deps.store.pause(job.id)
      deps.announce(job.id)
    }
    deps.store.setPausedByUser(false)
  }

  return {
    /**
     * 'all' also pauses what is queued later (the whole queue stays paused across restarts); a scope pauses the
     * jobs it holds now and leaves every other job as it is.
     */
    async pause(target: JobTarget): Promise<void> {
      if (target === 'all') deps.store.setPausedByUser(true)
      const jobs = targets(target, ['queued', 'running']).filter(
        (j) => j.state === 'queued' || j.state === 'running',
      )
      for (const job of jobs) if (job.state === 'queued') deps.store.pause(job.id)
      await deps.scheduler.stopRunning(
        jobs.filter((j) => j.state === 'running').map((j) => j.id),
        'pause',
      )
      for (const job of jobs) deps.announce(job.id)
      deps.status.publish()
    },

    async resume(target: JobTarget): Promise<void> {
      if (target === 'all') {
        deps.store.setPausedByUser(false)
        for (const { accountId } of deps.store.pausedAccounts()) deps.store.resumeAccount(accountId)
      } else if (isScope(target) && deps.store.pausedByUser()) keepPausedOutside(target)
      // An account's hold (bad credentials...) is lifted by a target that covers the whole account, not a folder's.
      const liftsHold = (accountId: string) => !isScope(target) || coversAccount(target, accountId)
      for (const job of targets(target, ['paused', 'queued'])) {
        if (job.state === 'paused') {
          deps.store.resume(job.id)
          deps.announce(job.id)
        }
        if (job.state === 'queued' && liftsHold(job.accountId)) deps.store.resumeAccount(job.accountId)
      }
      deps.status.recountFailures()
      deps.scheduler.schedule()
    },

    async cancel(target: JobTarget): Promise<void> {
      const cancellable: JobState[] = ['queued', 'running', 'paused', 'failed']
      const jobs = targets(target, cancellable).filter((j) => cancellable.includes(j.state))
      await deps.scheduler.stopRunning(
        jobs.filter((j) => j.state === 'running').map((j) => j.id),
        'cancel',
      )
      for (const job of jobs) {
        if (job.state === 'running') continue
        await deps.discard(job)
        deps.store.finish(job.id, { state: 'cancelled' })
        deps.notifyFinished(job.id, 'cancelled')
        deps.announce(job.id)
      }
      deps.status.recountFailures()
      deps.scheduler.schedule()
    },

    async retry(target: JobTarget): Promise<void> {
      const heldAccounts = new Set(deps.store.pausedAccounts().map((held) => held.accountId))
      for (const job of targets(target, ['failed', 'cancelled', 'queued', 'paused'])) {
        const waitingWithError = (job.state === 'queued' || job.state === 'paused') && job.error
        // A queued job of a held account (bad credentials...) waits for the hold alone, also one that never ran:
        // retrying it lifts the hold, as resuming does.
        const waitingForHold = job.state === 'queued' && heldAccounts.has(job.accountId)
        if (job.state !== 'failed' && job.state !== 'cancelled' && !waitingWithError && !waitingForHold)
          continue
        deps.store.resumeAccount(job.accountId)
        deps.store.retryNow(job.id)
        deps.announce(job.id)
      }
      deps.status.recountFailures()
      deps.scheduler.schedule()
    },
  }
}
