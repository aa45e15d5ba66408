import { REMOVED_CHUNK } from '../../../preload/contract/queue-page'
import { createJobEvents } from './job-events'
import type { JobStore, StoredJob } from './job-store'
import { createJobWaiters } from './job-waiters'
import { publicJob } from './queue-reads'
import type { QueueEvents } from './upload-queue'

export type Outcome = 'done' | 'failed' | 'cancelled'

/**
 * Who hears of a job's change: the shells (the queue's events), the callers waiting for jobs (job-waiters.ts)
 * and the listeners of finished jobs (the sync engine records uploads with them).
 */
export function createQueueNotices(
  store: JobStore,
  events: Pick<Partial<QueueEvents>, 'jobs' | 'job' | 'removed'>,
  status: { publish(): void },
  beforeWaitEnds: () => void = () => {},
) {
  const finishedListeners = new Set<(job: StoredJob, outcome: Outcome) => void>()
  const jobEvents = createJobEvents((jobs) => events.jobs?.(jobs))
  const waiters = createJobWaiters(store, () => {
    jobEvents.flush()
    beforeWaitEnds()
  })

  return {
    /** Tells listeners a job changed; `current` is the job as just written, when the caller has it. */
    announce(id: number, current?: StoredJob): void {
      const job = current ?? store.get(id)
      if (job && (events.jobs || events.job)) {
        const shown = publicJob(job)
        events.job?.(shown)
        if (events.jobs) jobEvents.changed(shown)
      }
      status.publish()
      waiters.notify(id, job)
    },

    /** Tells listeners jobs left the queue: in chunks, so that 100,000 cleared jobs are no 700 KB event. */
    removed(ids: number[]): void {
      // Changes still waiting go first: a job changed and then removed must not come back with its change.
      jobEvents.flush()
      for (let i = 0; i < ids.length; i += REMOVED_CHUNK) events.removed?.(ids.slice(i, i + REMOVED_CHUNK))
      status.publish()
    },

    /** A job reached an end state; `stored` is the job as written (read again when not given). */
    finished(id: number, outcome: Outcome, stored = store.get(id)): void {
      if (stored) for (const listener of finishedListeners) listener(stored, outcome)
    },

    /** Listens for jobs reaching an end state (the sync engine records uploads with it). */
    onFinished(listener: (job: StoredJob, outcome: Outcome) => void): () => void {
      finishedListeners.add(listener)
      return () => finishedListeners.delete(listener)
    },

    waitFor: waiters.waitFor,
    whenEnded: waiters.whenEnded,
    waitForPair: waiters.waitForPair,
    /** At stop: the changes still waiting are sent. */
    flushChanges: jobEvents.flush,
    /** At stop: the waits end. */
    clearWaiters: waiters.clear,
  }
}
