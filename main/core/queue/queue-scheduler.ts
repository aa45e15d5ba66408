import { AppError, isDiskFull } from '../errors'
import type { JobStore, RunnableJob, StoredJob } from './job-store'
import type { JobSuccess } from './run-job'
import { addToUsage, emptyUsage, type Slot, type SlotRule } from './transfer-slots'

/** Why a running job is being stopped from outside (its upload is aborted). */
export type Stop = 'pause' | 'cancel' | 'shutdown'

const STOP_MESSAGES: Record<Stop, string> = {
  pause: 'Upload paused by the user.',
  cancel: 'Upload cancelled by the user.',
  shutdown: 'Upload stopped: OBS Sync is shutting down.',
}

export interface SchedulerDeps {
  store: JobStore
  /** How many jobs run at once (requests in flight, by the jobs' sizes): transfer-slots.ts. */
  slots: SlotRule
  /** Jobs running at once per account. */
  perAccount: number
  now: () => number
  /** Runs one claimed job's upload to its end (or throws), with the requests its slot holds. */
  run: (job: StoredJob, signal: AbortSignal, slot: Slot) => Promise<JobSuccess>
  /** A job changed (`current`: as just written, when known). */
  announce: (id: number, current?: StoredJob) => void
  /** Records a successful upload; returns the job as stored. */
  succeed: (job: StoredJob, success: JobSuccess) => StoredJob
  /** Records a failed (or stopped) attempt; `stop` says why it was stopped, if it was. */
  fail: (job: StoredJob, error: unknown, stop: Stop | undefined) => Promise<void>
  /** The job's slot is free (its progress is no longer reported). */
  freed: (id: number) => void
  /** The queue DB could not be written (disk full): told once per episode, until writes work again. */
  diskFull?: (full: boolean) => void
  /** How often writing is tried again while the disk is full (default DISK_FULL_RETRY_MS). */
  diskFullRetryMs?: number
}

export const DISK_FULL_RETRY_MS = 2000

/**
 * Starts queued jobs in order while there are free slots (the slot rule of transfer-slots.ts and a per-account
 * limit), wakes up when a job put back with a retry time is due, and stops running jobs on request.
 */
export function createScheduler(deps: SchedulerDeps) {
  const { store, now } = deps
  const running = new Map<
    number,
    {
      controller: AbortController
      accountId: string
      batch: string
      slot: Slot
      stop?: Stop
      done: Promise<void>
    }
  >()
  /** What the running jobs hold together: counted in at start, out at settle. */
  const inUse = emptyUsage()
  /** No job can start: every request of the overall limit is taken. */
  const full = () => deps.slots.refusalFor(inUse, 0) === 'requests'
  // Batches (account, bucket, encryption) with at least one upload that went through in this process. Until then a
  // batch runs one job at a time: a wrong key, a missing bucket or a refused encryption then costs one request,
  // and the rest of the batch is held with its reason (upload-queue.ts) instead of failing in parallel.
  const proven = new Set<string>()
  let stopped = true
  let retryTimer: NodeJS.Timeout | undefined

  // The next runnable jobs as last read from the store, used up as they start. Only a job that finished well
  // may reuse them (the case that must be cheap); every other change (enqueue, resume, retry, a job put back,
  // an account held) reads them again. A stale entry costs nothing: claim() takes only jobs still queued.
  let candidates: RunnableJob[] = []

  /**
   * A full disk makes the queue's writes fail (claiming a job, recording its end, a group commit). Uploads
   * themselves need no disk: what fails is saving their state, so nothing is lost, only not yet recorded. Every
   * DISK_FULL_RETRY_MS, jobs left "running" without an upload are put back and scheduling goes on; the first
   * write that works ends the episode.
   */
  let diskFullTimer: NodeJS.Timeout | undefined
  let diskIsFull = false
  function diskFull(): void {
    if (!diskIsFull) deps.diskFull?.(true)
    diskIsFull = true
    if (diskFullTimer) clearTimeout(diskFullTimer)
    diskFullTimer = setTimeout(() => {
      diskFullTimer = undefined
      try {
        store.requeueStranded([...running.keys()])
      } catch (error) {
        if (!isDiskFull(error)) throw error
        return diskFull()
      }
      diskIsFull = false
      deps.diskFull?.(false)
      schedule()
    }, deps.diskFullRetryMs ?? DISK_FULL_RETRY_MS)
  }

  /** Runs `write`; a full disk starts (or continues) the episode above instead of throwing. */
  function unlessDiskFull(write: () => void): void {
    try {
      write()
    } catch (error) {
      if (!isDiskFull(error)) throw error
      diskFull()
    }
  }

  /** Starts queued jobs while there are free slots (global and per account). */
  function schedule(reuseCandidates = false): void {
    if (diskFullTimer) return
    unlessDiskFull(() => scheduleNow(reuseCandidates))
  }

  function scheduleNow(reuseCandidates: boolean): void {
    if (stopped || store.pausedByUser()) return
    if (full()) return
    const perAccountCount = new Map<string, number>()
    const probing = new Set<string>()
    for (const r of running.values()) {
      perAccountCount.set(r.accountId, (perAccountCount.get(r.accountId) ?? 0) + 1)
      if (!proven.has(r.batch)) probing.add(r.batch)
    }
    let fresh = !reuseCandidates || candidates.length === 0
    if (fresh) candidates = store.runnable(now())
    for (;;) {
      const list = candidates
      const blocked: typeof list = []
      while (list.length > 0 && !full()) {
        const next = list.shift() as (typeof list)[number]
        if (running.has(next.id)) continue
        const count = perAccountCount.get(next.accountId) ?? 0
        const refused = deps.slots.refusalFor(inUse, next.size)
        if (count >= deps.perAccount || probing.has(next.batch) || refused === 'kind') {
          blocked.push(next)
          continue
        }
        // It waits for free requests and keeps its turn: later (smaller) jobs do not overtake it.
        if (refused === 'requests') {
          list.unshift(next)
          break
        }
        const job = store.claim(next.id)
        if (!job) continue
        perAccountCount.set(job.accountId, count + 1)
        if (!proven.has(next.batch)) probing.add(next.batch)
        start(job, next.batch, deps.slots.slotOf(job.size))
      }
      candidates = blocked.length > 0 ? [...blocked, ...list] : list
      // A list read just now has nothing more to give; an old one used up is read again once.
      if (fresh || full() || list.length > 0) break
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
  function start(job: StoredJob, batch: string, slot: Slot): void {
    const controller = new AbortController()
    const entry = {
      controller,
      accountId: job.accountId,
      batch,
      slot,
      stop: undefined as Stop | undefined,
      done: Promise.resolve(),
    }
    running.set(job.id, entry)
    addToUsage(inUse, slot, 1)
    deps.announce(job.id, job)
    entry.done = deps
      .run(job, controller.signal, slot)
      // This job's "done" and the next job's "running" join the group commit (see JobStore.grouped).
      .then((success) => {
        proven.add(batch)
        return store.grouped(() => settle(job, () => deps.succeed(job, success), true))
      })
      .catch(async (error) => {
        try {
          await deps.fail(job, error, entry.stop)
        } catch (failed) {
          // Its end could not be written: it stays "running" in the DB until the episode puts it back.
          if (!isDiskFull(failed)) throw failed
          diskFull()
        } finally {
          if (running.has(job.id)) settle(job)
          else schedule()
        }
      })
  }

  /** Records how a job ended, frees its slot and starts what can run next. */
  function settle(job: StoredJob, outcome?: () => StoredJob | undefined, succeeded = false): void {
    const current = outcome?.()
    deps.freed(job.id)
    const entry = running.get(job.id)
    if (entry) {
      running.delete(job.id)
      addToUsage(inUse, entry.slot, -1)
    }
    deps.announce(job.id, current)
    schedule(succeeded)
  }

  return {
    schedule,
    /** A job was put back with a retry time: the next schedule arms the timer for it. */
    retryScheduled(): void {
      retriesPending = true
    },
    /** A write of the queue failed outside the scheduler (a group commit): recover as for its own writes. */
    writeFailed(error: unknown): void {
      if (isDiskFull(error)) diskFull()
    },
    start(): void {
      stopped = false
      schedule()
    },
    /** Aborts the given running jobs and waits until each has recorded how it stopped. */
    async stopRunning(ids: number[], reason: Stop): Promise<void> {
      const waits: Promise<void>[] = []
      for (const id of ids) {
        const entry = running.get(id)
        if (!entry) continue
        entry.stop = reason
        entry.controller.abort(new AppError('CANCELLED', STOP_MESSAGES[reason]))
        waits.push(entry.done)
      }
      await Promise.allSettled(waits)
    },
    /** Stops starting jobs and aborts the running ones (they go back to the queue). */
    async stop(): Promise<void> {
      stopped = true
      if (retryTimer) clearTimeout(retryTimer)
      if (diskFullTimer) clearTimeout(diskFullTimer)
      diskFullTimer = undefined
      await this.stopRunning([...running.keys()], 'shutdown')
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
