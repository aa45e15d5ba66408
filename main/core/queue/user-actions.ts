import type { JobState } from '../../../preload/contract/queue-models'
import { AppError } from '../errors'
import type { JobStore, StoredJob } from './job-store'
import type { Scheduler } from './queue-scheduler'

/** One job, all of them, or a group of them (ids). */
export type JobTarget = number | 'all' | number[]

export interface UserActionDeps {
  store: JobStore
  scheduler: Pick<Scheduler, 'schedule' | 'stopRunning'>
  /** A job changed: tell the UI and the waits. */
  announce: (id: number) => void
  /** Drops a job's unfinished multipart upload on the server. */
  discard: (job: StoredJob) => Promise<void>
  notifyFinished: (id: number, outcome: 'failed' | 'cancelled') => void
  status: { publish(): void }
}

/** What the user does to one job or to all of them: pause, resume, cancel, retry. */
export function createUserActions(deps: UserActionDeps) {
  /** The jobs a target names; for 'all', only those in `states` are read (the queue may hold 100,000 done). */
  function targets(target: JobTarget, states: readonly JobState[]): StoredJob[] {
    if (target === 'all') return deps.store.inStates(states)
    // A group of jobs (the transfers view's grouped problem): those that still exist.
    if (Array.isArray(target))
      return target.map((id) => deps.store.get(id)).filter((j): j is StoredJob => j !== undefined)
    const job = deps.store.get(target)
    if (!job) throw new AppError('NOT_FOUND', `There is no upload job ${target}.`)
    return [job]
  }

  return {
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
      }
      for (const job of targets(target, ['paused', 'queued'])) {
        if (job.state === 'paused') {
          deps.store.resume(job.id)
          deps.announce(job.id)
        }
        if (job.state === 'queued') deps.store.resumeAccount(job.accountId)
      }
      deps.status.publish()
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
      deps.scheduler.schedule()
    },

    async retry(target: JobTarget): Promise<void> {
      for (const job of targets(target, ['failed', 'cancelled', 'queued', 'paused'])) {
        const waitingWithError = (job.state === 'queued' || job.state === 'paused') && job.error
        if (job.state !== 'failed' && job.state !== 'cancelled' && !waitingWithError) continue
        deps.store.resumeAccount(job.accountId)
        deps.store.retryNow(job.id)
        deps.announce(job.id)
      }
      deps.scheduler.schedule()
    },
  }
}
