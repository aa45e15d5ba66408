import type { Job } from '../../../preload/contract/queue-models'
import type { Activity } from '../../../preload/contract/sync-models'

/** The last few hundred things that happened, for the activity view; each is also pushed as an event. */
export function createActivityLog(emit: (entry: Activity) => void, capacity = 500) {
  const entries: Activity[] = []
  return {
    add(
      level: Activity['level'],
      message: string,
      extra: Pick<Activity, 'syncPairId' | 'jobId' | 'line' | 'error'> = {},
    ): void {
      const entry: Activity = { at: new Date().toISOString(), level, message, ...extra }
      entries.push(entry)
      if (entries.length > capacity) entries.shift()
      emit(entry)
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
    recent(): Activity[] {
      return [...entries].reverse()
    },
  }
}

export type ActivityLog = ReturnType<typeof createActivityLog>
