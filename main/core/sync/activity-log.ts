import type { Job } from '../../../preload/contract/queue-models'
import {
  ACTIVITY_EVENT_MAX_BYTES,
  ACTIVITY_EVENT_MAX_LINES,
  ACTIVITY_EVENT_WINDOW_MS,
  ACTIVITY_RECENT_MAX_BYTES,
  type Activity,
} from '../../../preload/contract/sync-models'
import { createEventBatches } from '../events/event-batches'
import { leadingWithinBytes } from '../json-budget'

/**
 * The last few hundred things that happened, for the activity view. Each line is also pushed, gathered with the
 * others of a short window (ACTIVITY_EVENT_WINDOW_MS) into one event, oldest first: one line per finished upload
 * was one WebSocket or IPC frame each. `flush` sends the waiting lines at once; whoever waited for uploads calls it
 * before the wait ends (the queue's waiters), and so does a shell before it stops listening.
 */
export function createActivityLog(emit: (lines: Activity[]) => void, capacity = 500) {
  const entries: Activity[] = []
  const batches = createEventBatches(emit, {
    windowMs: ACTIVITY_EVENT_WINDOW_MS,
    maxBytes: ACTIVITY_EVENT_MAX_BYTES,
    maxItems: ACTIVITY_EVENT_MAX_LINES,
  })
  return {
    add(
      level: Activity['level'],
      message: string,
      extra: Pick<Activity, 'syncPairId' | 'jobId' | 'line' | 'error'> = {},
    ): void {
      const entry: Activity = { at: new Date().toISOString(), level, message, ...extra }
      entries.push(entry)
      if (entries.length > capacity) entries.shift()
      batches.add(entry)
    },
    /** An upload that ended: "Uploaded bucket/key", or the key with why it failed (a cancel is not news). */
    uploadFinished(
      job: Pick<Job, 'id' | 'bucket' | 'key' | 'error' | 'syncPairId'>,
      outcome: 'done' | 'failed' | 'cancelled',
    ): void {
      const where = { jobId: job.id, syncPairId: job.syncPairId }
      const names = { bucket: job.bucket, key: job.key }
      if (outcome === 'done')
        this.add('info', `Uploaded ${job.bucket}/${job.key}`, {
          ...where,
          line: { kind: 'uploaded', params: names },
        })
      if (outcome === 'failed')
        this.add('error', `${job.key}: ${job.error?.message ?? 'failed'}`, {
          ...where,
          line: { kind: 'upload-failed', params: names },
          ...(job.error ? { error: job.error } : {}),
        })
    },
    /**
     * Newest first, as many as fit ACTIVITY_RECENT_MAX_BYTES of JSON. The lines still waiting are sent first, so
     * that a window never gets a line twice.
     */
    recent(): Activity[] {
      batches.flush()
      const newest = [...entries].reverse()
      return newest.slice(0, leadingWithinBytes(newest, ACTIVITY_RECENT_MAX_BYTES))
    },
    flush: batches.flush,
  }
}

export type ActivityLog = ReturnType<typeof createActivityLog>
