import type { Account, EncryptionChoice, ResolvedEncryption } from '../../../preload/contract/models'
import type {
  ClashAnswer,
  EnqueueRequest,
  EnqueueResult,
  Job,
  ProgressEvent,
  StatusSummary,
} from '../../../preload/contract/queue-models'
import {
  encodePageCursor,
  type GroupAction,
  type JobCounts,
  MAX_PAGE_BYTES,
  type QueuePage,
  type QueuePageRequest,
  REMOVED_CHUNK,
  type UploadHistory,
} from '../../../preload/contract/queue-page'
import { assertKmsKeyChosen } from '../encryption/kms-key-required'
import { AppError, DISK_FULL_MESSAGE, toIpcError } from '../errors'
import type { S3Connection } from '../storage/s3-client'
import { resolveStorageClass } from '../storage/storage-classes'
import { DEFAULT_MULTIPART_THRESHOLD } from '../storage/upload-file'
import type { BandwidthLimiter } from './bandwidth-limiter'
import { type BucketDefault, encryptionFor, jobsForRequest, type KmsKeys } from './enqueue-files'
import { decideFailure } from './failure-policy'
import type { JobStore, NewJob, StoredJob } from './job-store'
import { createJobWaiters } from './job-waiters'
import { createProgressMeter } from './progress-meter'
import { createScheduler, type Stop } from './queue-scheduler'
import { createQueueStatus } from './queue-status'
import { createRequestLimit } from './request-limit'
import { discardMultipart, type JobContext, type JobSuccess, runJob } from './run-job'
import { createSlotRule, type Slot } from './transfer-slots'
import { createUploadClashes } from './upload-clashes'
import { createUserActions } from './user-actions'

export interface QueueEvents {
  job: (job: Job) => void
  /** Ids of jobs removed from the queue, at most REMOVED_CHUNK a call. */
  removed: (ids: number[]) => void
  /** Jobs per state, when they changed. */
  counts: (counts: JobCounts) => void
  progress: (events: ProgressEvent[]) => void
  status: (status: StatusSummary) => void
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
   * (queue-settings.ts, default 32), changed at run time with `setRequestLimit`.
   */
  concurrency?: number
  perAccountLimit?: number
  bandwidth?: BandwidthLimiter
  multipartThreshold?: number
  partSize?: number
  now?: () => number
  random?: () => number
  log?: (message: string, error?: unknown) => void
  /**
   * Runs one job's upload (default: runJob, the real transfer). Injected so that the queue's policy (scheduling,
   * retries, holds) is tested fast, without a server.
   */
  transfer?: (job: StoredJob, ctx: JobContext) => Promise<JobSuccess>
}

type Outcome = 'done' | 'failed' | 'cancelled'

/** What the UI sees of a job (the queue's own bookkeeping left out). */
function publicJob(job: StoredJob): Job {
  const { mtimeMs: _m, sha256: _s, uploadId: _u, partSize: _p, changedRetries: _c, etag: _e, ...rest } = job
  return rest
}

/** A page cut where its JSON would pass MAX_PAGE_BYTES (at least one job), with the cursor to go on from. */
function withinBytes(jobs: Job[], nextCursor: string | undefined): { jobs: Job[]; nextCursor?: string } {
  let bytes = 0
  for (let i = 0; i < jobs.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(jobs[i]))
    if (bytes > MAX_PAGE_BYTES && i > 0)
      return { jobs: jobs.slice(0, i), nextCursor: encodePageCursor(jobs[i - 1]!.id) }
  }
  return nextCursor ? { jobs, nextCursor } : { jobs }
}

/**
 * The durable upload queue: jobs live in SQLite (job-store.ts), the scheduler takes runnable jobs in order with a
 * global and a per-account limit (queue-scheduler.ts), and each failure is handled by its class's one policy
 * (failure-policy.ts: retry with backoff and jitter, fail the job with its reason, or hold the account's jobs
 * until the user fixes the account). This file puts them together and holds the user's actions.
 */
export function createUploadQueue(options: UploadQueueOptions) {
  const { store } = options
  const now = options.now ?? Date.now
  const log = options.log ?? (() => {})
  const slots = createSlotRule({
    requests: options.concurrency ?? store.settings.requestLimit(),
    multipartThreshold: options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD,
    bandwidth: () => options.bandwidth?.limit() ?? 0,
  })
  const finishedListeners = new Set<(job: StoredJob, outcome: Outcome) => void>()
  const clashes = createUploadClashes(options.client)
  const meter = createProgressMeter((events) => options.events.progress?.(events))
  const status = createQueueStatus({
    store,
    meter,
    watchedFolders: options.watchedFolders,
    onStatus: options.events.status,
    onCounts: options.events.counts,
    now,
  })
  const waiters = createJobWaiters(store)
  const discard = (job: StoredJob) => discardMultipart(job, { store, client: options.client })
  let release: (() => void) | undefined
  /** Between start() and stop(). */
  let running = false
  let pruneTimer: NodeJS.Timeout | undefined

  /** Tells listeners jobs left the queue: in chunks, so that 100,000 cleared jobs are no 700 KB event. */
  function removed(ids: number[]): void {
    for (let i = 0; i < ids.length; i += REMOVED_CHUNK)
      options.events.removed?.(ids.slice(i, i + REMOVED_CHUNK))
    status.publish()
  }

  /** Done jobs past the kept age go to the per-day history. */
  function prune(): void {
    try {
      removed(store.history.prune(now()))
    } catch (error) {
      // A full disk or a busy DB: the next prune tries again; nothing is lost meanwhile.
      log('Finished uploads could not be moved to the history', error)
    }
  }

  /** Tells listeners a job changed; `current` is the job as just written, when the caller has it. */
  function announce(id: number, current?: StoredJob): void {
    const job = current ?? store.get(id)
    if (job) options.events.job?.(publicJob(job))
    status.publish()
    waiters.notify(id, job)
  }

  function notifyFinished(id: number, outcome: 'failed' | 'cancelled'): void {
    const stored = store.get(id)
    if (stored) for (const listener of finishedListeners) listener(stored, outcome)
  }

  function run(job: StoredJob, signal: AbortSignal, slot: Slot): Promise<JobSuccess> {
    return (options.transfer ?? runJob)(job, {
      store,
      client: options.client,
      customerKey: options.customerKey,
      throttle: options.bandwidth ? (bytes, s) => options.bandwidth!.take(bytes, s) : undefined,
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
    for (const listener of finishedListeners) listener(stored, 'done')
    return stored
  }

  async function fail(job: StoredJob, error: unknown, stop: Stop | undefined): Promise<void> {
    if (stop === 'pause') return store.pause(job.id)
    if (stop === 'shutdown') return store.requeue(job.id)
    if (stop === 'cancel') {
      await discard(job)
      store.finish(job.id, { state: 'cancelled' })
      return notifyFinished(job.id, 'cancelled')
    }
    if (!(error instanceof AppError)) log(`Upload job ${job.id} failed unexpectedly`, error)
    const ipcError = toIpcError(error)
    const decision = decideFailure(job, ipcError, now(), options.random)
    if (decision.discardMultipart) await discard(job)
    if (decision.outcome === 'retry') {
      if (decision.offline) status.wentOffline(ipcError)
      scheduler.retryScheduled()
      return store.requeue(job.id, {
        error: ipcError,
        retryAt: decision.retryAt as number,
        changedRetries: decision.changedRetries ?? job.changedRetries,
      })
    }
    if (decision.outcome === 'hold-account') {
      // Every job of this account would fail the same way: hold them until the user fixes the account.
      store.pauseAccount(job.accountId, ipcError)
      return store.hold(job.id, ipcError)
    }
    store.finish(job.id, { state: 'failed', error: ipcError })
    notifyFinished(job.id, 'failed')
    // The next jobs of this batch would fail the same way: hold them with this reason, to be retried or
    // cancelled together once the cause is fixed (the UI shows them as one problem).
    const held = decision.holdBatch
      ? store.holdBatch(job.id, ipcError, decision.holdBatch === 'encryption')
      : []
    status.failed(ipcError, 1 + held.length)
    for (const id of held) announce(id)
    if (held.length > 0) log(`${held.length} upload(s) held: ${ipcError.message}`)
  }

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
  const actions = createUserActions({ store, scheduler, announce, discard, notifyFinished, status })

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
    /** Adds files and folders (walked recursively) with the dialog's encryption choice or the bucket default. */
    async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
      const { account } = await options.client(request.accountId)
      assertKmsKeyChosen(request.encryption, account)
      const encryption = await this.resolveFor(
        request.accountId,
        request.bucket,
        account.endpoint,
        request.encryption,
      )
      // Refused before anything is queued when the provider has no such class.
      const storageClass = request.storageClass
        ? resolveStorageClass(account.provider, request.storageClass)
        : undefined
      const { jobs, skipped } = await jobsForRequest(request, encryption, storageClass)
      // Dropping the same files again (or re-running a killed `obs-sync upload`) does not send again what is
      // already uploaded unchanged: the finished job of that exact file version stands for it.
      const already = jobs.map((j) => store.doneUnchanged(j))
      const fresh = jobs.filter((_, i) => already[i] === undefined)
      const decided = await clashes.decide(request.accountId, request.bucket, fresh, request.onExists)
      return {
        jobIds: [...already.filter((id): id is number => id !== undefined), ...this.add(decided.queue)],
        skipped,
        ...(decided.kept.length ? { kept: decided.kept } : {}),
        ...(decided.asking.length
          ? { clashes: clashes.hold(request.accountId, request.bucket, decided.asking) }
          : {}),
      }
    },

    /** The user's one answer for the held files of a batch whose objects already exist. */
    answerClashes(answer: ClashAnswer): Promise<EnqueueResult> {
      return clashes.answer(answer, (jobs) => this.add(jobs))
    },

    /** explicit choice > (folder rule, given as explicit by sync) > bucket default > none; HTTPS enforced. */
    resolveFor(
      accountId: string,
      bucket: string,
      endpoint: string,
      explicit: EncryptionChoice | undefined,
      folderRule?: EncryptionChoice,
    ): Promise<ResolvedEncryption> {
      return encryptionFor(options, { accountId, bucket, endpoint }, explicit, folderRule)
    },

    /** Adds prepared jobs in one transaction; a target already waiting in the queue is not added twice. */
    add(jobs: NewJob[]): number[] {
      const { existing, added } = store.transaction(() => {
        const active = jobs.map((j) => store.activeFor(j.accountId, j.bucket, j.key))
        return {
          existing: active.filter((id): id is number => id !== undefined),
          added: store.insertMany(jobs.filter((_, i) => active[i] === undefined)),
        }
      })
      for (const job of added) announce(job.id, job)
      scheduler.schedule()
      return [...existing, ...added.map((j) => j.id)]
    },

    /** Every job: for tests and small queues only; shells read pages (`page`). */
    list(): Job[] {
      return store.list().map(publicJob)
    },

    /** A page of jobs, newest first, with the counts per state of the whole queue. */
    page(request: QueuePageRequest): QueuePage {
      const page = store.pages.page(request)
      const { jobs, nextCursor } = withinBytes(page.jobs.map(publicJob), page.nextCursor)
      return { jobs, ...(nextCursor ? { nextCursor } : {}), counts: store.counts() }
    },

    /** Failed, held and retrying jobs grouped by cause (of the whole queue, or of `jobIds` only). */
    problemGroups(jobIds?: readonly number[]) {
      return store.problems.groups(jobIds)
    },

    /** Retry, cancel or clear every job of one cause, as it is now. */
    async groupAction({ groupId, action }: GroupAction): Promise<void> {
      const ids = store.problems.members(groupId)
      if (ids.length === 0) return
      if (action === 'retry') return actions.retry(ids)
      await actions.cancel(ids)
      if (action === 'clear') this.remove(ids.filter((id) => store.stateOf(id)?.state === 'cancelled'))
    },

    /** Removes jobs from the queue (those cleared by the user). */
    remove(ids: number[]): void {
      store.remove(ids)
      removed(ids)
    },

    history(): UploadHistory {
      return store.history.summary()
    },

    /** How long done jobs stay in the queue; the ones older than that leave it at once. */
    setKeepDoneDays(days: number): UploadHistory {
      store.history.setKeepDoneDays(days)
      prune()
      return store.history.summary()
    },

    /** Jobs still to do (queued or running), e.g. those a killed run left behind. */
    pendingIds(): number[] {
      return store.pendingIds()
    },

    pendingFor(syncPairId: string): number {
      return store.pendingFor(syncPairId)
    },

    /** Jobs per state. */
    counts() {
      return store.counts()
    },

    failureSummaryFor(syncPairId: string) {
      return store.failureSummaryFor(syncPairId)
    },

    failedFor(syncPairId: string): Job[] {
      return store.failedFor(syncPairId).map(publicJob)
    },

    status: status.current,

    ...actions,
    ...requestLimit,

    /** Done jobs go to the history, cancelled ones are removed; returns the ids that left the queue. */
    clearFinished(): number[] {
      const done = store.history.clearDone()
      const cancelled = store.idsInState('cancelled')
      store.remove(cancelled)
      removed([...done, ...cancelled])
      return [...done, ...cancelled]
    },

    /** Failed jobs are removed (not retried); returns their ids. */
    clearFailed(): number[] {
      const failed = store.idsInState('failed')
      this.remove(failed)
      return failed
    },

    /** Listens for files not sent because the object already there was kept (dropped files are removed then). */
    onKept: clashes.onKept,

    /** Listens for jobs reaching an end state (the sync engine records uploads with it). */
    onFinished(listener: (job: StoredJob, outcome: Outcome) => void): () => void {
      finishedListeners.add(listener)
      return () => finishedListeners.delete(listener)
    },

    waitFor: waiters.waitFor,
    waitForPair: waiters.waitForPair,

    /** Stops the workers; running jobs go back to the queue with their multipart state, to continue next time. */
    async stop(): Promise<void> {
      running = false
      await scheduler.stop()
      if (pruneTimer) clearInterval(pruneTimer)
      pruneTimer = undefined
      status.stop()
      waiters.clear()
      meter.stop()
      store.flush()
      release?.()
      release = undefined
    },
  }
}

export type UploadQueue = ReturnType<typeof createUploadQueue>
