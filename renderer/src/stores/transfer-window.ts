import type { Job, JobState } from '../../../preload/contract/queue-models'
import { encodePageCursor, type QueuePageRequest } from '../../../preload/contract/queue-page'

/** What the transfers view lists: every job but those shown as a grouped problem, the active, failed or finished. */
export type TransferFilter = 'all' | 'active' | 'failed' | 'finished'

const FILTER_STATES: Record<TransferFilter, readonly JobState[] | undefined> = {
  all: undefined,
  active: ['running', 'queued', 'paused'],
  failed: ['failed'],
  finished: ['done', 'cancelled'],
}

/** The page request of a filter (without cursor and size). */
export function filterRequest(filter: TransferFilter): QueuePageRequest {
  const states = FILTER_STATES[filter]
  // "All" leaves out what the problem rows above the list stand for: a cause is one row, not one a job.
  return states ? { states: [...states] } : { withoutProblems: true }
}

/**
 * Whether a job changed by an event belongs in the window of `filter`. For "all" the queue decides what a
 * problem is; a job with an error (failed, held, retrying) is one of them, and one of a held account without an
 * error of its own shows up in the list until the next page read leaves it out.
 */
export function inFilter(job: Job, filter: TransferFilter): boolean {
  const states = FILTER_STATES[filter]
  if (states) return states.includes(job.state)
  if (job.state === 'failed') return false
  return !(job.error && (job.state === 'paused' || job.state === 'queued'))
}

/**
 * The jobs the view holds: a window of the queue, newest first (by id, as `queue:page` answers), at most
 * `max` jobs. Pages are appended at its end; jobs changed by events are updated in place, inserted where they
 * belong when that is inside the window (or newer than all of it), and dropped when they leave the filter.
 */
export interface TransferWindow {
  jobs: Job[]
  /** Where the next (older) page begins; undefined when the window reaches the oldest job. */
  nextCursor?: string
}

/** Applies one changed job to the window; returns the new window, or the same object when nothing changed. */
export function applyJob(
  window: TransferWindow,
  job: Job,
  filter: TransferFilter,
  max: number,
): TransferWindow {
  const at = window.jobs.findIndex((j) => j.id === job.id)
  if (at >= 0) {
    const known = window.jobs[at]!
    // Events may overtake a page on its way: the newer version wins.
    if (known.updatedAt > job.updatedAt) return window
    const jobs = [...window.jobs]
    if (inFilter(job, filter)) jobs[at] = job
    else jobs.splice(at, 1)
    return { ...window, jobs }
  }
  if (!inFilter(job, filter)) return window
  const oldest = window.jobs.at(-1)
  // Older than every job held while older pages exist: it comes with those pages.
  if (oldest && job.id < oldest.id && window.nextCursor !== undefined) return window
  const jobs = [...window.jobs]
  const before = jobs.findIndex((j) => j.id < job.id)
  jobs.splice(before < 0 ? jobs.length : before, 0, job)
  if (jobs.length <= max) return { ...window, jobs }
  // New jobs keep coming (a folder of 100,000 files): the window keeps its size, the oldest become a page again.
  jobs.length = max
  return { jobs, nextCursor: encodePageCursor(jobs.at(-1)!.id) }
}

/** A first page read afresh; a job an event changed while the page was on its way keeps its newer version. */
export function firstPage(
  current: TransferWindow,
  page: { jobs: Job[]; nextCursor?: string },
): TransferWindow {
  const seen = new Map(current.jobs.map((j) => [j.id, j]))
  return {
    jobs: page.jobs.map((job) => {
      const known = seen.get(job.id)
      return known && known.updatedAt > job.updatedAt ? known : job
    }),
    nextCursor: page.nextCursor,
  }
}

/** Appends an older page (skipping jobs an event already put in the window). */
export function appendPage(
  window: TransferWindow,
  page: { jobs: Job[]; nextCursor?: string },
): TransferWindow {
  const known = new Set(window.jobs.map((j) => j.id))
  return {
    jobs: [...window.jobs, ...page.jobs.filter((j) => !known.has(j.id))],
    nextCursor: page.nextCursor,
  }
}

/** Drops removed jobs. */
export function removeJobs(window: TransferWindow, ids: readonly number[]): TransferWindow {
  const gone = new Set(ids)
  if (!window.jobs.some((j) => gone.has(j.id))) return window
  return { ...window, jobs: window.jobs.filter((j) => !gone.has(j.id)) }
}
