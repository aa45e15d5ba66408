import type { Job } from '../../../preload/contract/queue-models'
import {
  JOB_EVENT_MAX_BYTES,
  JOB_EVENT_MAX_JOBS,
  JOB_EVENT_WINDOW_MS,
} from '../../../preload/contract/queue-page'
import { createEventBatches } from '../events/event-batches'

/**
 * Job changes, coalesced: each change is kept for JOB_EVENT_WINDOW_MS and the changed jobs are sent together, each
 * once as it is at the end of the window, in events of at most JOB_EVENT_MAX_BYTES of JSON (and
 * JOB_EVENT_MAX_JOBS jobs). 10,000 files queued at once were 10,000 WebSocket frames; now they are a few dozen.
 * `flush` sends what is waiting at once: before jobs are announced as removed (a late change must not bring a
 * removed job back) and at stop.
 */
export function createJobEvents(
  emit: (jobs: Job[]) => void,
  options: { windowMs?: number; maxBytes?: number } = {},
) {
  const batches = createEventBatches(emit, {
    windowMs: options.windowMs ?? JOB_EVENT_WINDOW_MS,
    maxBytes: options.maxBytes ?? JOB_EVENT_MAX_BYTES,
    maxItems: JOB_EVENT_MAX_JOBS,
    keyOf: (job) => job.id,
  })
  return {
    /** A job changed: sent with the others of this window (its latest version only). */
    changed: batches.add,
    flush: batches.flush,
  }
}
