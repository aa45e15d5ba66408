import type { Activity } from '../../../preload/contract/sync-models'

/** The last few hundred things that happened, for the activity view; each is also pushed as an event. */
export function createActivityLog(emit: (entry: Activity) => void, capacity = 500) {
  const entries: Activity[] = []
  return {
    add(level: Activity['level'], message: string, extra: Pick<Activity, 'syncPairId' | 'jobId'> = {}): void {
      const entry: Activity = { at: new Date().toISOString(), level, message, ...extra }
      entries.push(entry)
      if (entries.length > capacity) entries.shift()
      emit(entry)
    },
    recent(): Activity[] {
      return [...entries].reverse()
    },
  }
}

export type ActivityLog = ReturnType<typeof createActivityLog>
