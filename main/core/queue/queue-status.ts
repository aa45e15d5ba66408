import type { StatusSummary } from '../../../preload/contract/queue-models'
import type { JobCounts } from '../../../preload/contract/queue-page'
import type { JobStore } from './job-store'
import type { ProgressMeter } from './progress-meter'
import { summarizeStatus } from './status-summary'

export interface QueueStatusDeps {
  store: JobStore
  meter: Pick<ProgressMeter, 'overall'>
  watchedFolders?: () => StatusSummary['watchedFolders']
  onStatus?: (status: StatusSummary) => void
  /** Jobs per state, told when they changed (the transfers view's counts; it does not hold every job). */
  onCounts?: (counts: JobCounts) => void
  now: () => number
}

/** The queue's status summary (tray, status bar, CLI), and when the network was last lost or a file uploaded. */
export function createQueueStatus(deps: QueueStatusDeps) {
  let offlineSince: string | undefined
  let offlineReason: string | undefined
  let lastSyncAt: string | undefined
  let lastPublished = ''
  let lastCounts = ''
  let timer: NodeJS.Timeout | undefined

  function current(): StatusSummary {
    const counts = deps.store.counts()
    return summarizeStatus({
      counts,
      pausedByUser: deps.store.pausedByUser(),
      pausedAccounts: deps.store.pausedAccounts().length,
      offlineSince,
      offlineReason,
      // While offline, the next retry is the earliest waiting job's, or now when attempts are under way.
      nextRetryAt: offlineSince
        ? (deps.store.nextRetryAt() ?? (counts.running > 0 ? deps.now() : undefined))
        : undefined,
      lastSyncAt,
      ...deps.meter.overall(),
      watchedFolders: deps.watchedFolders?.() ?? [],
    })
  }

  function publishNow(): void {
    const counts = JSON.stringify(deps.store.counts())
    if (counts !== lastCounts) {
      lastCounts = counts
      deps.onCounts?.(JSON.parse(counts) as JobCounts)
    }
    const next = current()
    // Speed and ETA change all the time; only a change of something else is worth an event of its own.
    const key = JSON.stringify({ ...next, bytesPerSecond: 0, etaSeconds: 0 })
    if (key !== lastPublished) {
      lastPublished = key
      deps.onStatus?.(next)
    }
  }

  return {
    current,
    /** At most ~10 status computations a second, however many jobs change: the tray needs no more. */
    publish(): void {
      timer ??= setTimeout(() => {
        timer = undefined
        publishNow()
      }, 100)
    },
    /** A network error: the queue is offline (and retrying) since now, unless it already was; `reason` says why. */
    wentOffline(reason: string): void {
      offlineSince ??= new Date(deps.now()).toISOString()
      offlineReason = reason
    },
    /** A file reached the server: the queue is online, and this was its last sync. */
    uploaded(): void {
      offlineSince = undefined
      offlineReason = undefined
      lastSyncAt = new Date(deps.now()).toISOString()
    },
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
