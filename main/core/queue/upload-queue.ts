import type { Account } from '../../../preload/contract/models'
import type { Job, ProgressEvent, StatusSummary } from '../../../preload/contract/queue-models'
import type { GroupAction, JobCounts, UploadHistory } from '../../../preload/contract/queue-page'
import type {
  BandwidthLimitState,
  QueueSettingsEvent,
  RequestLimitState,
} from '../../../preload/contract/queue-settings'
import { DISK_FULL_MESSAGE } from '../errors'
import type { S3Connection } from '../storage/s3-client'
import { DEFAULT_MULTIPART_THRESHOLD } from '../storage/upload-file'
import { createFailureHandler } from './apply-failure'
import { createBandwidthLimit } from './bandwidth-limit'
import { createBandwidthLimiter } from './bandwidth-limiter'
import type { BucketDefault, KmsKeys } from './enqueue-files'
import { createEnqueuer } from './enqueue-uploads'
import type { JobScope } from './job-scope'
import type { JobStore, StoredJob } from './job-store'
import { createProgressMeter } from './progress-meter'
import { createQueueNotices } from './queue-notices'
import { createQueueReads } from './queue-reads'
import { createScheduler } from './queue-scheduler'
import { createQueueStatus } from './queue-status'
import { createRequestLimit } from './request-limit'
import { discardMultipart, type JobContext, type JobSuccess, runJob } from './run-job'
import { createLiveSettings } from './settings-watch'
import { createSlotRule, type Slot } from './transfer-slots'
import { createUserActions } from './user-actions'

export interface QueueEvents {
  /** Jobs added or changed, coalesced over a short window and bounded in size (job-events.ts): for the shells. */
  jobs: (jobs: Job[]) => void
  /** Every change of a job at once, in-process (tests watching the scheduler step by step); shells use `jobs`. */
  job: (job: Job) => void
  /** Ids of jobs removed from the queue, at most REMOVED_CHUNK a call. */
  removed: (ids: number[]) => void
  /** Jobs per state, when they changed. */
  counts: (counts: JobCounts) => void
  progress: (events: ProgressEvent[]) => void
  status: (status: StatusSummary) => void
  /** The request limit or the kept days changed (here, or saved by another process on the data folder). */
  settings: (settings: QueueSettingsEvent) => void
}

export interface UploadQueueOptions {
  store: JobStore
  client: (accountId: string) => Promise<{ account: Account } & S3Connection>
  customerKey: (accountId: string, name: string) => Promise<string>
  /** The bucket's default encryption, used when an enqueue makes no explicit choice. */
  bucketDefault: BucketDefault
  /** The account's KMS keys, to send a key named by alias or bare id with the header id its provider needs. */
  kmsKeys?: KmsKeys
  events: Partial<QueueEvents>
  watchedFolders?: () => StatusSummary['watchedFolders']
  /** Makes this process the queue's only runner until the returned function is called (see queue-owner.ts). */
  hold?: () => () => void
  /** How often done jobs older than the kept age are pruned into the history (default hourly). */
  pruneEveryMs?: number
  /**
   * Requests in flight at once over all uploads, the user's one limit: small files run that many at once, big ones
   * a few (transfer-slots.ts has the rule). Given (`--concurrency`): this run's limit; omitted: the saved setting
   * (queue-settings.ts, DEFAULT_REQUEST_LIMIT), changed at run time with `setRequestLimit`.
   */
  concurrency?: number
  perAccountLimit?: number
  /**
   * The upload rate limit over all uploads, in bytes per second. Given (`--bandwidth`): this run's limit; omitted:
   * the saved setting (none unless saved), changed at run time with `setBandwidthLimit`.
   */
  bandwidth?: number
  multipartThreshold?: number
  partSize?: number
  now?: () => number
  random?: () => number
  log?: (message: string, error?: unknown) => void
  /**
   * Sends other events still gathered about the jobs (the activity lines of finished uploads) just before a wait
   * for jobs ends, as the queue does with its own job changes: whoever waited has heard all of them.
   */
  beforeWaitEnds?: () => void
  /**
   * Runs one job's upload (default: runJob, the real transfer). Injected so that the queue's policy (scheduling,
   * retries, holds) is tested fast, without a server.
   */
  transfer?: (job: StoredJob, ctx: JobContext) => Promise<JobSuccess>
}

/**
 * The durable upload queue: jobs live in SQLite (job-store.ts), the scheduler takes runnable jobs in order with a
 * global and a per-account limit (queue-scheduler.ts), and each failure is handled by its class's one policy
 * (failure-policy.ts: retry with backoff and jitter, fail the job with its reason, or hold the account's jobs
 * until the user fixes the account; apply-failure.ts applies it). Uploads enter through enqueue-uploads.ts, the
 * shells read through queue-reads.ts and hear of changes through queue-notices.ts. This file wires them to the
 * scheduler and holds the queue's life (start, stop, pruning) and the user's actions.
 */
export function createUploadQueue(options: UploadQueueOptions) {
  const { store } = options
  const now = options.now ?? Date.now
  const log = options.log ?? (() => {})
  const savedKiB = store.settings.bandwidthLimit()
  const limiter = createBandwidthLimiter(options.bandwidth ?? (savedKiB === null ? 0 : savedKiB * 1024))
  const slots = createSlotRule({
    requests: options.concurrency ?? store.settings.requestLimit(),
    multipartThreshold: options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD,
    bandwidth: limiter.limit,
  })
  const meter = createProgressMeter((events) => {
    options.events.progress?.(events)
    status.progressed()
  })
  const status = createQueueStatus({
    store,
    meter,
    watchedFolders: options.watchedFolders,
    onStatus: options.events.status,
    onCounts: options.events.counts,
    now,
  })
  const notices = createQueueNotices(store, options.events, status, options.beforeWaitEnds)
  const { announce, removed } = notices
  const notifyFinished = (id: number, outcome: 'failed' | 'cancelled') => notices.finished(id, outcome)
  const discard = (job: StoredJob) => discardMultipart(job, { store, client: options.client })
  let release: (() => void) | undefined
  /** Between start() and stop(). */
  let running = false
  let pruneTimer: NodeJS.Timeout | undefined

  /** Done jobs past the kept age go to the per-day history. */
  function prune(): void {
    try {
      removed(store.history.prune(now()))
    } catch (error) {
      // A full disk or a busy DB: the next prune tries again; nothing is lost meanwhile.
      log('Finished uploads could not be moved to the history', error)
    }
  }

  function run(job: StoredJob, signal: AbortSignal, slot: Slot): Promise<JobSuccess> {
    return (options.transfer ?? runJob)(job, {
      store,
      client: options.client,
      customerKey: options.customerKey,
      throttle: limiter.take,
      signal,
      multipartThreshold: options.multipartThreshold,
      partSize: options.partSize,
      partConcurrency: slot.requests,
      onProgress: (bytes, size) => meter.report(job.id, bytes, size),
      // What the job shows while paused, stopped or waiting to retry: the bytes the server holds (its finished
      // parts), saved as each part ends. Bytes of a request still on its way are not stored anywhere yet, so a
      // single PUT keeps 0 until it is done.
      onStored: (bytes) => store.saveProgress(job.id, bytes),
    })
  }

  function succeed(job: StoredJob, success: JobSuccess): StoredJob {
    const stored = store.markDone(job, success)
    status.uploaded()
    notices.finished(job.id, 'done', stored)
    return stored
  }

  const fail = createFailureHandler({
    store,
    now,
    random: options.random,
    log,
    discard,
    announce,
    notifyFinished,
    status,
    retryScheduled: () => scheduler.retryScheduled(),
  })

  const scheduler = createScheduler({
    store,
    slots,
    // Read at every start: follows the user's limit when it changes at run time.
    get perAccount() {
      return options.perAccountLimit ?? slots.userLimit()
    },
    now,
    run,
    announce,
    succeed,
    fail,
    freed: (id) => meter.finish(id),
    diskFull: (full) => {
      status.diskFull(full ? { code: 'DISK_FULL', message: DISK_FULL_MESSAGE } : undefined)
      log(
        full
          ? `${DISK_FULL_MESSAGE} (The upload queue is tried again every few seconds.)`
          : 'The upload queue can be saved again: uploads carry on.',
      )
    },
  })

  const requestLimit = createRequestLimit({
    settings: store.settings,
    slots,
    fromCommandLine: options.concurrency !== undefined,
    schedule: () => scheduler.schedule(),
  })
  const bandwidthLimit = createBandwidthLimit({
    settings: store.settings,
    limiter,
    fromCommandLine: options.bandwidth !== undefined,
    schedule: () => scheduler.schedule(),
    restartRates: () => meter.restartRates(),
  })
  const liveSettings = createLiveSettings({
    settings: store.settings,
    keepDoneDays: () => store.history.keepDoneDays(),
    requestLimit,
    bandwidthLimit,
    prune,
    emit: options.events.settings,
  })
  const actions = createUserActions({ store, scheduler, announce, discard, notifyFinished, status })
  const enqueuer = createEnqueuer({
    store,
    client: options.client,
    bucketDefault: options.bucketDefault,
    kmsKeys: options.kmsKeys,
    announce,
    schedule: () => scheduler.schedule(),
    supersede: (ids) => cancelAndClear(ids),
  })

  /** Cancels jobs and clears those that ended cancelled (one that finished meanwhile stays, as done). */
  async function cancelAndClear(ids: number[]): Promise<void> {
    await actions.cancel(ids)
    remove(ids.filter((id) => store.stateOf(id)?.state === 'cancelled'))
  }

  function remove(ids: number[]): void {
    store.remove(ids)
    removed(ids)
    status.recountFailures()
  }

  return {
    /** Starts the workers; throws QUEUE_IN_USE when another process runs this queue. */
    start(): void {
      release ??= options.hold?.()
      running = true
      const recovered = store.recoverInterrupted()
      if (recovered > 0) log(`Resuming ${recovered} upload(s) interrupted by the last shutdown`)
      status.publish()
      scheduler.start()
      prune()
      pruneTimer ??= setInterval(prune, options.pruneEveryMs ?? 60 * 60 * 1000)
      pruneTimer.unref?.()
      liveSettings.start()
    },

    /**
     * The account's settings or secret changed (account-service.ts): jobs held because of the account (bad
     * credentials, TLS, clock...) are released and tried again with the new connection.
     */
    releaseAccount(accountId: string): void {
      if (!store.pausedAccounts().some((held) => held.accountId === accountId)) return
      store.resumeAccount(accountId)
      status.publish()
      scheduler.schedule()
    },

    /** Something the status summary shows changed outside the queue (a watched folder's problem). */
    refreshStatus(): void {
      // Not before start or after stop: the queue DB may be closed by then (a folder stopping at shutdown).
      if (running) status.publish()
    },

    /** A write of the queue DB failed outside a job's own steps (a group commit), e.g. on a full disk. */
    writeFailed(error: unknown): void {
      scheduler.writeFailed(error)
    },
    ...enqueuer,

    ...createQueueReads(store),

    /** Retry, cancel or clear every job of one cause as it is now (of the account / watched folder when named). */
    async groupAction({ groupId, action, ...scope }: GroupAction): Promise<void> {
      const ids = store.problems.members(groupId, scope)
      if (ids.length === 0) return
      if (action === 'retry') return actions.retry(ids)
      if (action === 'clear') return cancelAndClear(ids)
      await actions.cancel(ids)
    },

    /** Removes jobs from the queue (those cleared by the user). */
    remove,

    /** How long done jobs stay in the queue; the ones older than that leave it at once. */
    setKeepDoneDays(days: number): UploadHistory {
      store.history.setKeepDoneDays(days)
      prune()
      liveSettings.publish()
      return store.history.summary()
    },

    status: status.current,

    ...actions,
    requestLimit: requestLimit.requestLimit,
    /** Saves the request limit and applies it to the running queue (requests in flight finish); announced. */
    setRequestLimit(requests: number): RequestLimitState {
      const state = requestLimit.setRequestLimit(requests)
      liveSettings.publish()
      return state
    },
    bandwidthLimit: bandwidthLimit.bandwidthLimit,
    /** Saves the upload rate limit (KiB/s, null: none) and applies it to the running uploads; announced. */
    setBandwidthLimit(kibPerSecond: number | null): BandwidthLimitState {
      const state = bandwidthLimit.setBandwidthLimit(kibPerSecond)
      liveSettings.publish()
      return state
    },

    /**
     * Done jobs go to the history, cancelled ones are removed (of a scope when given: an account and/or watched
     * folder); returns the ids that left the queue.
     */
    clearFinished(scope?: JobScope): number[] {
      const done = store.history.clearDone(scope)
      const cancelled = store.idsInState('cancelled', scope)
      store.remove(cancelled)
      removed([...done, ...cancelled])
      return [...done, ...cancelled]
    },

    /**
     * Failed jobs (of a scope when given) are removed, not retried, and with them the rest of their batches, held
     * with the same reason (paused with its error): the transfers view counts them as failed ("30 uploads failed:
     * ..."); cleared alone, the first file of each batch vanished and the others stayed. Returns their ids.
     */
    async clearFailed(scope?: JobScope): Promise<number[]> {
      const failed = store.idsInState('failed', scope)
      const heldWithBatch = store
        .inStates(['paused'], scope)
        .filter((job) => job.state === 'paused' && job.error !== undefined)
        .map((job) => job.id)
      await cancelAndClear(heldWithBatch)
      this.remove(failed)
      return [...failed, ...heldWithBatch]
    },

    onFinished: notices.onFinished,
    waitFor: notices.waitFor,
    whenEnded: notices.whenEnded,
    outcomeOf: store.outcomeOf,
    waitForPair: notices.waitForPair,

    /** Stops the workers; running jobs go back to the queue with their multipart state, to continue next time. */
    async stop(): Promise<void> {
      running = false
      liveSettings.stop()
      await scheduler.stop()
      if (pruneTimer) clearInterval(pruneTimer)
      pruneTimer = undefined
      status.stop()
      notices.flushChanges()
      notices.clearWaiters()
      meter.stop()
      store.flush()
      release?.()
      release = undefined
    },
  }
}

export type UploadQueue = ReturnType<typeof createUploadQueue>
