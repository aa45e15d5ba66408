import type { IpcError } from '../../../preload/contract/errors'
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

/** How many distinct failure causes the summary keeps (the latest ones): the rest are in the transfers view. */
const MAX_FAILURE_CAUSES = 3
/** While uploads run, their overall speed and time left are sent again at most this often, when they changed. */
export const SPEED_REFRESH_MS = 1000

/**
 * The queue's status summary (tray, status bar, CLI): when the network was last lost or a file uploaded, whether
 * the disk is full, and why uploads failed (counted here as they fail, so a summary costs no query of the jobs).
 */
export function createQueueStatus(deps: QueueStatusDeps) {
  let offlineSince: string | undefined
  let offlineError: IpcError | undefined
  let diskFull: IpcError | undefined
  let lastSyncAt: string | undefined
  /** Failure causes, latest last, with how many uploads failed or were held for each. */
  let failures = new Map<string, { error: IpcError; jobs: number }>()
  let lastPublished = ''
  let lastSpeed = ''
  let lastSpeedAt = Number.NEGATIVE_INFINITY
  let lastCounts = ''
  let timer: NodeJS.Timeout | undefined

  let seeded = false
  function current(): StatusSummary {
    const counts = deps.store.counts()
    if (!seeded) {
      // Failures of earlier runs are named too, biggest group first (read once: `obs-sync status` runs no queue).
      seeded = true
      if (counts.failed > 0) failures = countedInQueue()
    }
    // Failed jobs retried, cancelled or cleared: their causes are no longer worth naming.
    if (counts.failed === 0 && counts.paused === 0) failures = new Map()
    return summarizeStatus({
      counts,
      pausedByUser: deps.store.pausedByUser(),
      heldAccounts: deps.store.pausedAccounts(),
      offlineSince,
      offlineError,
      diskFull,
      failures: [...failures.values()]
        .reverse()
        .slice(0, MAX_FAILURE_CAUSES)
        .map(({ error, jobs }) => ({ ...error, jobs })),
      // While offline, the next retry is the earliest waiting job's, or now when attempts are under way.
      nextRetryAt: offlineSince
        ? (deps.store.nextRetryAt() ?? (counts.running > 0 ? deps.now() : undefined))
        : undefined,
      lastSyncAt,
      // The meter's rate counts uploads that ended within its window; with none running there is no speed to show.
      ...(counts.running > 0 ? deps.meter.overall() : { bytesPerSecond: 0 }),
      watchedFolders: deps.watchedFolders?.() ?? [],
    })
  }

  function failedJobs(error: IpcError, jobs: number, into = failures): void {
    const key = `${error.code}\u0000${error.message}`
    const seen = into.get(key)
    into.delete(key)
    into.set(key, { error, jobs: (seen?.jobs ?? 0) + jobs })
  }

  /** The failed and held jobs of each cause as the queue holds them now, biggest cause last. */
  function countedInQueue(): typeof failures {
    const counted: typeof failures = new Map()
    for (const group of deps.store.problems.groups().groups.reverse())
      if (group.failed + group.heldPaused > 0)
        failedJobs(group.error, group.failed + group.heldPaused, counted)
    return counted
  }

  function publishNow(): void {
    const counts = JSON.stringify(deps.store.counts())
    if (counts !== lastCounts) {
      lastCounts = counts
      deps.onCounts?.(JSON.parse(counts) as JobCounts)
    }
    const next = current()
    // Speed and ETA change all the time: a change of something else is sent at once, theirs at most every
    // SPEED_REFRESH_MS. Sent only with other changes, the status bar kept the speed of an upload's first moment
    // ("256 KB/s, about 38 sec left" under a row saying 1.1 MB/s, 8 sec left) for as long as nothing else moved.
    const key = JSON.stringify({ ...next, bytesPerSecond: 0, etaSeconds: 0 })
    const speed = `${next.bytesPerSecond}/${next.etaSeconds}`
    const speedDue = speed !== lastSpeed && deps.now() - lastSpeedAt >= SPEED_REFRESH_MS
    if (key !== lastPublished || speedDue) {
      lastPublished = key
      lastSpeed = speed
      lastSpeedAt = deps.now()
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
    /** The running uploads moved (the progress meter's report): their speed is sent again when due. */
    progressed(): void {
      if (deps.now() - lastSpeedAt >= SPEED_REFRESH_MS) this.publish()
    },
    /** A network error: the queue is offline (and retrying) since now, unless it already was; `error` says why. */
    wentOffline(error: IpcError): void {
      offlineSince ??= new Date(deps.now()).toISOString()
      offlineError = error
    },
    /** The queue could not save its state (a full disk), or can again (undefined). */
    diskFull(error: IpcError | undefined): void {
      diskFull = error
      this.publish()
    },
    /**
     * The user retried, cancelled, resumed or removed jobs: the count of each cause is read again from the queue,
     * and a cause none of whose jobs is left is no longer named. The tally kept as uploads fail cannot tell which
     * of a cause's jobs went: a view narrowed to one account or folder clears only its own, and the rest of the
     * queue may still have failures (the summary forgets every cause only once no failed or held job is left).
     * The causes keep their order (latest last); those only the queue knows (earlier runs) come before them.
     */
    recountFailures(): void {
      const counted = countedInQueue()
      const next: typeof failures = new Map()
      for (const [key, cause] of counted) if (!failures.has(key)) next.set(key, cause)
      for (const key of failures.keys()) {
        const cause = counted.get(key)
        if (cause) next.set(key, cause)
      }
      failures = next
      seeded = true
      this.publish()
    },
    /** `jobs` uploads failed, or were held with their batch, because of `error`. */
    failed(error: IpcError, jobs = 1): void {
      failedJobs(error, jobs)
    },
    /** A file reached the server: the queue is online, and this was its last sync. */
    uploaded(): void {
      offlineSince = undefined
      offlineError = undefined
      lastSyncAt = new Date(deps.now()).toISOString()
    },
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
