import type { Job } from '../../../preload/contract/queue-models'
import {
  type CountsFilter,
  encodePageCursor,
  MAX_PAGE_BYTES,
  type QueuePage,
  type QueuePageRequest,
  type UploadHistory,
} from '../../../preload/contract/queue-page'
import { leadingWithinBytes } from '../json-budget'
import type { JobScope } from './job-scope'
import type { JobStore, StoredJob } from './job-store'

/** What the UI sees of a job (the queue's own bookkeeping left out). */
export function publicJob(job: StoredJob): Job {
  const { mtimeMs: _m, sha256: _s, uploadId: _u, partSize: _p, changedRetries: _c, etag: _e, ...rest } = job
  return rest
}

/** A page cut where its JSON would pass MAX_PAGE_BYTES (at least one job), with the cursor to go on from. */
function withinBytes(jobs: Job[], nextCursor: string | undefined): { jobs: Job[]; nextCursor?: string } {
  const fit = leadingWithinBytes(jobs, MAX_PAGE_BYTES)
  if (fit < jobs.length) return { jobs: jobs.slice(0, fit), nextCursor: encodePageCursor(jobs[fit - 1]!.id) }
  return nextCursor ? { jobs, nextCursor } : { jobs }
}

/** What the shells read of the queue: pages of jobs, counts, problems, a watched folder's jobs, the history. */
export function createQueueReads(store: JobStore) {
  /** Jobs per state: of an account and/or a watched folder when given, else of the whole queue. */
  const countsOf = (filter: CountsFilter = {}) =>
    filter.accountId !== undefined || filter.syncPairId !== undefined
      ? store.pages.countsOf(filter)
      : store.counts()

  return {
    /** Every job: for tests and small queues only; shells read pages (`page`). */
    list(): Job[] {
      return store.list().map(publicJob)
    },

    /**
     * A page of jobs, newest first, with the counts per state of its account / watched folder filter (of the whole
     * queue without one; a state filter does not narrow the counts: they say how many there are of each state).
     */
    page(request: QueuePageRequest): QueuePage {
      const page = store.pages.page(request)
      const { jobs, nextCursor } = withinBytes(page.jobs.map(publicJob), page.nextCursor)
      return { jobs, ...(nextCursor ? { nextCursor } : {}), counts: countsOf(request) }
    },

    /** Failed, held and retrying jobs grouped by cause (of the whole queue or a scope, or of `jobIds` only). */
    problemGroups(jobIds?: readonly number[], scope?: JobScope) {
      return store.problems.groups(jobIds, scope)
    },

    /** The uploads that left the queue for the history: of an account and/or watched folder when given. */
    history(scope?: JobScope): UploadHistory {
      return store.history.summary(scope)
    },

    /** Jobs still to do (queued or running), e.g. those a killed run left behind. */
    pendingIds(): number[] {
      return store.pendingIds()
    },

    pendingFor(syncPairId: string): number {
      return store.pendingFor(syncPairId)
    },

    /** Jobs per state: of an account and/or a watched folder when given, else of the whole queue. */
    counts: countsOf,

    failureSummaryFor(syncPairId: string) {
      return store.failureSummaryFor(syncPairId)
    },

    failedFor(syncPairId: string): Job[] {
      return store.failedFor(syncPairId).map(publicJob)
    },
  }
}
