import type { Job } from '../../../preload/contract/queue-models'
import {
  JOB_EVENT_MAX_BYTES,
  JOB_EVENT_MAX_JOBS,
  JOB_EVENT_WINDOW_MS,
} from '../../../preload/contract/queue-page'

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
  const windowMs = options.windowMs ?? JOB_EVENT_WINDOW_MS
  const maxBytes = options.maxBytes ?? JOB_EVENT_MAX_BYTES
  const pending = new Map<number, Job>()
  let timer: NodeJS.Timeout | undefined

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (pending.size === 0) return
    const jobs = [...pending.values()]
    pending.clear()
    let chunk: Job[] = []
    let bytes = 2 // the brackets of the array
    for (const job of jobs) {
      const size = Buffer.byteLength(JSON.stringify(job)) + 1
      if (chunk.length > 0 && (bytes + size > maxBytes || chunk.length >= JOB_EVENT_MAX_JOBS)) {
        emit(chunk)
        chunk = []
        bytes = 2
      }
      chunk.push(job)
      bytes += size
    }
    emit(chunk)
  }

  return {
    /** A job changed: sent with the others of this window (its latest version only). */
    changed(job: Job): void {
      // In the order of their latest change.
      pending.delete(job.id)
      pending.set(job.id, job)
      if (!timer) {
        timer = setTimeout(flush, windowMs)
        timer.unref?.()
      }
    },
    flush,
  }
}
