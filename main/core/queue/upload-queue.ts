import { posix } from 'node:path'
import type { IpcError } from '../../../preload/contract/errors'
import type { Account, EncryptionChoice, ResolvedEncryption } from '../../../preload/contract/models'
import type {
  EnqueueRequest,
  EnqueueResult,
  Job,
  ProgressEvent,
  StatusSummary,
} from '../../../preload/contract/queue-models'
import { resolveEncryption } from '../encryption/resolve-encryption'
import { errorPolicy } from '../error-policy'
import { AppError, toIpcError } from '../errors'
import type { S3Connection } from '../storage/s3-client'
import { backoffDelayMs } from './backoff'
import type { BandwidthLimiter } from './bandwidth-limiter'
import { expandPaths } from './expand-paths'
import type { JobStore, NewJob, StoredJob } from './job-store'
import { createProgressMeter } from './progress-meter'
import { discardMultipart, type JobSuccess, runJob } from './run-job'
import { summarizeStatus } from './status-summary'

export interface QueueEvents {
  job: (job: Job) => void
  removed: (ids: number[]) => void
  progress: (events: ProgressEvent[]) => void
  status: (status: StatusSummary) => void
}

export interface UploadQueueOptions {
  store: JobStore
  client: (accountId: string) => Promise<{ account: Account } & S3Connection>
  customerKey: (accountId: string, name: string) => Promise<string>
  /** The bucket's default encryption, used when an enqueue makes no explicit choice. */
  bucketDefault: (accountId: string, bucket: string) => Promise<EncryptionChoice | undefined>
  events: Partial<QueueEvents>
  watchedFolders?: () => StatusSummary['watchedFolders']
  /** Makes this process the queue's only runner until the returned function is called (see queue-owner.ts). */
  hold?: () => () => void
  /** Jobs running at once (desktop default 4: enough to fill a link, few enough to keep the UI smooth). */
  concurrency?: number
  perAccountLimit?: number
  bandwidth?: BandwidthLimiter
  multipartThreshold?: number
  partSize?: number
  now?: () => number
  random?: () => number
  log?: (message: string, error?: unknown) => void
}

/** Retryable server errors give up after this many attempts; network errors retry for as long as it takes. */
const MAX_SERVER_ERROR_ATTEMPTS = 12
/** A file that keeps changing while it is uploaded is retried this often, then reported. */
const MAX_CHANGED_RETRIES = 5
const CHANGED_SETTLE_MS = 2000
const PAUSED_ALL = 'paused_all'

type Stop = 'pause' | 'cancel' | 'shutdown'

/**
 * The durable upload queue: jobs live in SQLite, workers take runnable jobs in order with a global and a
 * per-account limit, and each failure is handled by its class's one policy (retry with backoff and jitter,
 * fail the job with its reason, or pause the account's jobs until the user fixes the account).
 */
export function createUploadQueue(options: UploadQueueOptions) {
  const { store } = options
  const now = options.now ?? Date.now
  const log = options.log ?? (() => {})
  const concurrency = options.concurrency ?? 4
  const perAccount = options.perAccountLimit ?? concurrency
  const running = new Map<
    number,
    { controller: AbortController; accountId: string; stop?: Stop; done: Promise<void> }
  >()
  const finishedListeners = new Set<(job: StoredJob, outcome: 'done' | 'failed' | 'cancelled') => void>()
  const meter = createProgressMeter((events) => options.events.progress?.(events))
  let offlineSince: string | undefined
  let offlineReason: string | undefined
  let lastSyncAt: string | undefined
  let retryTimer: NodeJS.Timeout | undefined
  let stopped = true
  let release: (() => void) | undefined
  let lastStatus = ''
  const waiters = new Set<(changedJobId?: number, changedJob?: StoredJob) => void>()

  const publicJob = (job: StoredJob): Job => {
    const { mtimeMs: _m, sha256: _s, uploadId: _u, partSize: _p, changedRetries: _c, etag: _e, ...rest } = job
    return rest
  }
  /** Tells listeners a job changed; `current` is the job as just written, when the caller has it. */
  function announce(id: number, current?: StoredJob): void {
    const job = current ?? store.get(id)
    if (job) options.events.job?.(publicJob(job))
    publishStatus()
    for (const waiter of [...waiters]) waiter(id, job)
  }

  function status(): StatusSummary {
    return summarizeStatus({
      counts: store.counts(),
      pausedByUser: store.getSetting(PAUSED_ALL) === 'true',
      pausedAccounts: store.pausedAccounts().length,
      offlineSince,
      offlineReason,
      nextRetryAt: offlineSince ? store.nextRetryAt() : undefined,
      lastSyncAt,
      ...meter.overall(),
      watchedFolders: options.watchedFolders?.() ?? [],
    })
  }
  let statusTimer: NodeJS.Timeout | undefined
  /** At most ~10 status computations a second, however many jobs change: the tray needs no more. */
  function publishStatus(): void {
    statusTimer ??= setTimeout(() => {
      statusTimer = undefined
      publishStatusNow()
    }, 100)
  }
  function publishStatusNow(): void {
    const next = status()
    const key = JSON.stringify({ ...next, bytesPerSecond: 0, etaSeconds: 0 })
    if (key !== lastStatus) {
      lastStatus = key
      options.events.status?.(next)
    }
  }

  // The next runnable jobs as last read from the store, used up as they start. Only a job that finished well
  // may reuse them (the case that must be cheap); every other change (enqueue, resume, retry, a job put back,
  // an account held) reads them again. A stale entry costs nothing: claim() takes only jobs still queued.
  let candidates: { id: number; accountId: string }[] = []

  /** Starts queued jobs while there are free slots (global and per account). */
  function schedule(reuseCandidates = false): void {
    if (stopped || store.getSetting(PAUSED_ALL) === 'true') return
    if (running.size >= concurrency) return
    const perAccountCount = new Map<string, number>()
    for (const r of running.values())
      perAccountCount.set(r.accountId, (perAccountCount.get(r.accountId) ?? 0) + 1)
    let fresh = !reuseCandidates || candidates.length === 0
    if (fresh) candidates = store.runnable(now())
    for (;;) {
      const list = candidates
      const blocked: typeof list = []
      while (list.length > 0 && running.size < concurrency) {
        const next = list.shift() as (typeof list)[number]
        if (running.has(next.id)) continue
        const count = perAccountCount.get(next.accountId) ?? 0
        if (count >= perAccount) {
          blocked.push(next)
          continue
        }
        const job = store.claim(next.id)
        if (!job) continue
        perAccountCount.set(job.accountId, count + 1)
        start(job)
      }
      candidates = [...blocked, ...list]
      // A list read just now has nothing more to give; an old one used up is read again once.
      if (fresh || running.size >= concurrency || list.length > 0) break
      candidates = store.runnable(now())
      fresh = true
    }
    armRetryTimer()
  }

  // Only look for retry times when a job was put back with one (most schedules have none to arm).
  let retriesPending = true
  function armRetryTimer(): void {
    if (!retriesPending) return
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = undefined
    const at = store.nextRetryAt()
    retriesPending = at !== undefined
    if (at === undefined || stopped) return
    retryTimer = setTimeout(schedule, Math.max(50, at - now()))
  }

  /** Runs a job just claimed (state running, this attempt counted). */
  function start(job: StoredJob): void {
    const controller = new AbortController()
    const entry = {
      controller,
      accountId: job.accountId,
      stop: undefined as Stop | undefined,
      done: Promise.resolve(),
    }
    running.set(job.id, entry)
    announce(job.id, job)
    // Progress is saved every 2 s of a long upload; a small file finishes before its first save is due.
    let lastSaved = now()
    entry.done = runJob(job, {
      store,
      client: options.client,
      customerKey: options.customerKey,
      throttle: options.bandwidth ? (bytes, signal) => options.bandwidth!.take(bytes, signal) : undefined,
      signal: controller.signal,
      multipartThreshold: options.multipartThreshold,
      partSize: options.partSize,
      onProgress: (bytes, size) => {
        meter.report(job.id, bytes, size)
        if (now() - lastSaved > 2000) {
          lastSaved = now()
          store.patch(job.id, { bytes_done: bytes })
        }
      },
    })
      // This job's "done" and the next job's "running" join the group commit (see JobStore.grouped).
      .then((success) => store.grouped(() => settle(job, () => succeed(job, success), true)))
      .catch(async (error) => {
        try {
          await fail(job, error, entry.stop)
        } finally {
          if (running.has(job.id)) settle(job)
          else schedule()
        }
      })
  }

  /** Records how a job ended, frees its slot and starts what can run next. */
  function settle(job: StoredJob, outcome?: () => StoredJob | undefined, succeeded = false): void {
    const current = outcome?.()
    meter.finish(job.id)
    running.delete(job.id)
    announce(job.id, current)
    schedule(succeeded)
  }

  function succeed(job: StoredJob, success: JobSuccess): StoredJob {
    const stored = store.markDone(job, success)
    offlineSince = undefined
    offlineReason = undefined
    lastSyncAt = new Date(now()).toISOString()
    for (const listener of finishedListeners) listener(stored, 'done')
    return stored
  }

  async function fail(job: StoredJob, error: unknown, stop: Stop | undefined): Promise<void> {
    if (stop === 'pause') return store.setState(job.id, 'paused')
    if (stop === 'shutdown') return store.setState(job.id, 'queued')
    if (stop === 'cancel') {
      await discardMultipart(job, { store, client: options.client })
      store.setState(job.id, 'cancelled')
      return notifyFinished(job.id, 'cancelled')
    }
    const appError = error instanceof AppError ? error : undefined
    if (!appError) log(`Upload job ${job.id} failed unexpectedly`, error)
    const ipcError: IpcError = toIpcError(error)
    const fields = { error_code: ipcError.code, error_message: ipcError.message }
    const attempts = job.attempts

    if (ipcError.code === 'SOURCE_CHANGED' && job.changedRetries < MAX_CHANGED_RETRIES) {
      await discardMultipart(job, { store, client: options.client })
      retriesPending = true
      return store.setState(job.id, 'queued', {
        ...fields,
        changed_retries: job.changedRetries + 1,
        retry_at: now() + CHANGED_SETTLE_MS,
      })
    }
    if (ipcError.code === 'SOURCE_GONE' || ipcError.code === 'SOURCE_CHANGED') {
      await discardMultipart(job, { store, client: options.client })
    }
    const policy = errorPolicy(ipcError.code)
    const giveUp = ipcError.code === 'SERVER_ERROR' && attempts >= MAX_SERVER_ERROR_ATTEMPTS
    if (policy === 'retry' && !giveUp) {
      if (ipcError.code !== 'SERVER_ERROR') {
        offlineSince ??= new Date(now()).toISOString()
        offlineReason = ipcError.message
      }
      retriesPending = true
      return store.setState(job.id, 'queued', {
        ...fields,
        retry_at: now() + backoffDelayMs(attempts, options.random),
      })
    }
    if (policy === 'pause-account') {
      // Every job of this account would fail the same way: hold them until the user fixes the account.
      store.pauseAccount(job.accountId, ipcError)
      return store.setState(job.id, 'queued', fields)
    }
    store.setState(job.id, 'failed', fields)
    notifyFinished(job.id, 'failed')
  }

  function notifyFinished(id: number, outcome: 'failed' | 'cancelled'): void {
    const stored = store.get(id)
    if (stored) for (const listener of finishedListeners) listener(stored, outcome)
  }

  function targets(target: number | 'all'): StoredJob[] {
    if (target === 'all') return store.list()
    const job = store.get(target)
    if (!job) throw new AppError('NOT_FOUND', `There is no upload job ${target}.`)
    return [job]
  }

  async function stopRunning(ids: number[], reason: Stop): Promise<void> {
    const waits: Promise<void>[] = []
    for (const id of ids) {
      const entry = running.get(id)
      if (!entry) continue
      entry.stop = reason
      entry.controller.abort(new AppError('NETWORK', `Upload ${reason}d by the user.`))
      waits.push(entry.done)
    }
    await Promise.allSettled(waits)
  }

  return {
    /** Starts the workers; throws QUEUE_IN_USE when another process runs this queue. */
    start(): void {
      release ??= options.hold?.()
      const recovered = store.recoverInterrupted()
      if (recovered > 0) log(`Resuming ${recovered} upload(s) interrupted by the last shutdown`)
      stopped = false
      publishStatus()
      schedule()
    },

    /** Adds files and folders (walked recursively) with the dialog's encryption choice or the bucket default. */
    async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
      const { account } = await options.client(request.accountId)
      const encryption = await this.resolveFor(
        request.accountId,
        request.bucket,
        account.endpoint,
        request.encryption,
      )
      const expansion = await expandPaths(request.paths)
      const prefix = request.prefix.replace(/^\/+/, '')
      const jobs = expansion.files.map((file) => ({
        accountId: request.accountId,
        bucket: request.bucket,
        key: prefix ? posix.join(prefix, file.relativeKey) : file.relativeKey,
        sourcePath: file.path,
        size: file.size,
        mtimeMs: file.mtimeMs,
        encryption,
        origin: 'manual' as const,
      }))
      // Dropping the same files again (or re-running a killed `obs-sync upload`) does not send again what is
      // already uploaded unchanged: the finished job of that exact file version stands for it.
      const { already, jobIds } = store.transaction(() => {
        const done = jobs.map((j) => store.doneUnchanged(j))
        return { already: done, jobIds: this.add(jobs.filter((_, i) => done[i] === undefined)) }
      })
      return {
        jobIds: [...already.filter((id): id is number => id !== undefined), ...jobIds],
        skipped: expansion.skipped,
      }
    },

    /** explicit choice > (folder rule, given as explicit by sync) > bucket default > none; HTTPS enforced. */
    async resolveFor(
      accountId: string,
      bucket: string,
      endpoint: string,
      explicit: EncryptionChoice | undefined,
      folderRule?: EncryptionChoice,
    ): Promise<ResolvedEncryption> {
      const bucketDefault =
        explicit || folderRule
          ? undefined
          : await options.bucketDefault(accountId, bucket).catch(() => undefined)
      return resolveEncryption({ explicit, folderRule, bucketDefault }, endpoint)
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
      schedule()
      return [...existing, ...added.map((j) => j.id)]
    },

    list(): Job[] {
      return store.list().map(publicJob)
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

    /** Failed jobs, and queued ones waiting after an error. */
    withProblems(): Job[] {
      return store.withProblems().map(publicJob)
    },

    failedFor(syncPairId: string): Job[] {
      return store.failedFor(syncPairId).map(publicJob)
    },

    get(id: number): StoredJob | undefined {
      return store.get(id)
    },

    status,

    async pause(target: number | 'all'): Promise<void> {
      if (target === 'all') store.setSetting(PAUSED_ALL, 'true')
      const jobs = targets(target).filter((j) => j.state === 'queued' || j.state === 'running')
      for (const job of jobs) if (job.state === 'queued') store.setState(job.id, 'paused')
      await stopRunning(
        jobs.filter((j) => j.state === 'running').map((j) => j.id),
        'pause',
      )
      for (const job of jobs) announce(job.id)
      publishStatus()
    },

    async resume(target: number | 'all'): Promise<void> {
      if (target === 'all') {
        store.setSetting(PAUSED_ALL, 'false')
        for (const { accountId } of store.pausedAccounts()) store.resumeAccount(accountId)
      }
      for (const job of targets(target)) {
        if (job.state === 'paused') {
          store.setState(job.id, 'queued', { retry_at: null })
          announce(job.id)
        }
        if (job.state === 'queued') store.resumeAccount(job.accountId)
      }
      publishStatus()
      schedule()
    },

    async cancel(target: number | 'all'): Promise<void> {
      const jobs = targets(target).filter((j) => ['queued', 'running', 'paused', 'failed'].includes(j.state))
      await stopRunning(
        jobs.filter((j) => j.state === 'running').map((j) => j.id),
        'cancel',
      )
      for (const job of jobs) {
        if (job.state === 'running') continue
        await discardMultipart(job, { store, client: options.client })
        store.setState(job.id, 'cancelled')
        notifyFinished(job.id, 'cancelled')
        announce(job.id)
      }
      schedule()
    },

    async retry(target: number | 'all'): Promise<void> {
      for (const job of targets(target)) {
        if (job.state !== 'failed' && job.state !== 'cancelled' && !(job.state === 'queued' && job.error))
          continue
        store.resumeAccount(job.accountId)
        store.setState(job.id, 'queued', { retry_at: null, attempts: 0, changed_retries: 0 })
        announce(job.id)
      }
      schedule()
    },

    clearFinished(): number[] {
      const ids = store.finishedIds()
      store.remove(ids)
      options.events.removed?.(ids)
      publishStatus()
      return ids
    },

    /** Listens for jobs reaching an end state (the sync engine records uploads with it). */
    onFinished(listener: (job: StoredJob, outcome: 'done' | 'failed' | 'cancelled') => void): () => void {
      finishedListeners.add(listener)
      return () => finishedListeners.delete(listener)
    },

    /**
     * Resolves when none of `ids` is waiting or running any more (CLI `upload` waits with it). Jobs held because
     * their account needs fixing will not move by waiting, so they end the wait too. Driven by job events, with
     * one look at the store per change rather than polling every job.
     */
    waitFor(ids: number[]): Promise<StoredJob[]> {
      const ended = (j: Pick<StoredJob, 'state' | 'accountId'> | undefined, held: Set<string>) =>
        !j || j.state === 'done' || j.state === 'failed' || j.state === 'cancelled' || held.has(j.accountId)
      return new Promise((resolveWait) => {
        const remaining = new Set(ids)
        const check = (changed?: number, changedJob?: StoredJob) => {
          const held = new Set(store.pausedAccounts().map((a) => a.accountId))
          // Usually only the job that changed needs a look; a held account can end many waits at once.
          const candidates = changed !== undefined && held.size === 0 ? [changed] : [...remaining]
          for (const id of candidates) {
            if (!remaining.has(id)) continue
            const job = id === changed && changedJob ? changedJob : store.stateOf(id)
            if (ended(job, held)) remaining.delete(id)
          }
          if (remaining.size > 0) return
          waiters.delete(check)
          resolveWait(ids.map((id) => store.get(id)).filter((j): j is StoredJob => j !== undefined))
        }
        waiters.add(check)
        check()
      })
    },

    /** Stops the workers; running jobs go back to the queue with their multipart state, to continue next time. */
    async stop(): Promise<void> {
      stopped = true
      if (retryTimer) clearTimeout(retryTimer)
      await stopRunning([...running.keys()], 'shutdown')
      if (statusTimer) clearTimeout(statusTimer)
      statusTimer = undefined
      waiters.clear()
      meter.stop()
      store.flush()
      release?.()
      release = undefined
    },
  }
}

export type UploadQueue = ReturnType<typeof createUploadQueue>
