import type { IpcError } from '../../../preload/contract/errors'
import type { JobState } from '../../../preload/contract/queue-models'
import { createGroupCommit } from './group-commit'
import { createJobHistory } from './job-history'
import { createJobPages } from './job-pages'
import { type NewJob, newJob, type Row, type StoredJob, toJob } from './job-rows'
import { createProblemGroups } from './problem-groups'
import type { QueueDatabase } from './queue-db'
import { createQueueSettings } from './queue-settings'

export type { NewJob, StoredJob } from './job-rows'

/** The settings row that says the user paused the whole queue. */
const PAUSED_ALL = 'paused_all'

/** How many runnable jobs one look at the queue returns. */
export const RUNNABLE_BATCH = 64

export interface JobStoreOptions {
  /** How long the writes of finished jobs may wait to be committed together (see group-commit.ts). */
  groupCommitMs?: number
  /** Hears of a group commit that failed (disk full, I/O error): its jobs will run again. */
  onCommitError?: (error: unknown) => void
}

/** When a job put back in the queue after an error may run again, and how often its source changed so far. */
export interface RetryLater {
  error: IpcError
  retryAt: number
  changedRetries: number
}

/** How a job ended other than with its upload done (see `markDone`). */
export type JobEnd = { state: 'failed'; error: IpcError } | { state: 'cancelled' }

/** A job that may start: its id, account and batch (account, bucket and encryption, as one string). */
export interface RunnableJob {
  id: number
  accountId: string
  batch: string
  /** Bytes: how many may run at once depends on it (transfer-slots.ts). */
  size: number
}

/**
 * Typed access to the jobs table; every method is one transaction (or part of the open group, see `grouped`).
 * A job changes state only through the named transitions below, so the table's columns stay in this file.
 */
export function createJobStore(db: QueueDatabase, options: JobStoreOptions = {}) {
  const now = () => new Date().toISOString()
  const insert = db.prepare(`INSERT INTO jobs
    (account_id, bucket, object_key, source_path, size, mtime_ms, encryption, storage_class, state, origin, sync_pair_id, created_at, updated_at)
    VALUES (@accountId, @bucket, @key, @sourcePath, @size, @mtimeMs, @encryption, @storageClass, 'queued', @origin, @syncPairId, @at, @at)`)
  const byId = db.prepare<[number], Row>('SELECT * FROM jobs WHERE id = ?')
  const stateById = db.prepare<[number], { state: JobState; accountId: string }>(
    'SELECT state, account_id AS accountId FROM jobs WHERE id = ?',
  )
  const all = db.prepare<[], Row>('SELECT * FROM jobs ORDER BY id')
  const inStates = db.prepare<[string], Row>(
    'SELECT * FROM jobs WHERE state IN (SELECT value FROM json_each(?)) ORDER BY id',
  )
  const idsInState = db.prepare<[JobState], number>('SELECT id FROM jobs WHERE state = ? ORDER BY id').pluck()
  // Only id and account: materializing whole rows the scheduler then skips cost more than the query itself.
  // The limit is a literal: better-sqlite3's SQLite (built with STAT4) re-compiles a statement whose LIMIT is a
  // bound parameter on every run, which doubled the cost of this query.
  // `batch`: jobs to the same account, bucket and encryption; the scheduler runs one of a batch until one succeeded.
  const runnable = db.prepare<[number], RunnableJob>(`SELECT id, account_id AS accountId, size,
      account_id || char(10) || bucket || char(10) || encryption AS batch
    FROM jobs
    WHERE state = 'queued' AND (retry_at IS NULL OR retry_at <= ?)
      AND account_id NOT IN (SELECT account_id FROM paused_accounts)
    ORDER BY id LIMIT ${RUNNABLE_BATCH}`)
  const nextRetry = db.prepare<[], { at: number | null }>(
    "SELECT MIN(retry_at) AS at FROM jobs WHERE state = 'queued' AND retry_at IS NOT NULL",
  )
  const counts = db.prepare<[], { state: JobState; n: number }>('SELECT state, n FROM job_counts')
  const doneUnchanged = db.prepare<
    [string, string, string, string, number, number, string | null],
    { id: number }
  >(`SELECT id FROM jobs
    WHERE account_id = ? AND bucket = ? AND object_key = ? AND source_path = ? AND size = ? AND mtime_ms = ?
      AND state = 'done' AND storage_class IS ? ORDER BY id DESC LIMIT 1`)
  const failedForPair = db.prepare<[string], Row>(
    "SELECT * FROM jobs WHERE sync_pair_id = ? AND state = 'failed'",
  )
  // SQLite takes the bare columns of an aggregate query with MAX() from the row holding the maximum: the latest failure.
  const failureSummaryForPair = db.prepare<
    [string],
    { n: number; last_id: number | null; error_code: string | null; error_message: string | null }
  >(
    "SELECT COUNT(*) AS n, MAX(id) AS last_id, error_code, error_message FROM jobs WHERE sync_pair_id = ? AND state = 'failed'",
  )
  const pendingForPair = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM jobs WHERE sync_pair_id = ? AND state IN ('queued', 'running')",
  )
  const activeForSource = db.prepare<[string, string, string], { id: number }>(`SELECT id FROM jobs
    WHERE account_id = ? AND bucket = ? AND object_key = ? AND state IN ('queued', 'running', 'paused')`)

  // Takes a queued job and returns it as it now is: one statement instead of a read and a write per start.
  const claimStmt = db.prepare<[string, number], Row>(`UPDATE jobs
    SET state = 'running', attempts = attempts + 1, retry_at = NULL, updated_at = ?
    WHERE id = ? AND state = 'queued' RETURNING *`)
  const requeueRunning = db.prepare(
    "UPDATE jobs SET state = 'queued', retry_at = NULL WHERE state = 'running'",
  )
  const requeueStrandedStmt = db.prepare(`UPDATE jobs SET state = 'queued', retry_at = NULL
    WHERE state = 'running' AND id NOT IN (SELECT value FROM json_each(?))`)
  const removeJob = db.prepare('DELETE FROM jobs WHERE id = ?')
  const pending = db
    .prepare<[], number>("SELECT id FROM jobs WHERE state IN ('queued', 'running') ORDER BY id")
    .pluck()
  // The rest of a failed job's batch: held (paused with the reason) so that they do not fail one by one.
  const holdBatchStmt = db
    .prepare<
      { id: number; sameEncryption: number; code: string; message: string; at: string },
      number
    >(`UPDATE jobs
    SET state = 'paused', error_code = @code, error_message = @message, updated_at = @at
    WHERE state = 'queued' AND id != @id
      AND account_id = (SELECT account_id FROM jobs WHERE id = @id)
      AND bucket = (SELECT bucket FROM jobs WHERE id = @id)
      AND (@sameEncryption = 0 OR encryption = (SELECT encryption FROM jobs WHERE id = @id))
    RETURNING id`)
    .pluck()
  const pauseAccountStmt = db.prepare(
    'INSERT OR REPLACE INTO paused_accounts (account_id, reason_code, reason_message) VALUES (?, ?, ?)',
  )
  const resumeAccountStmt = db.prepare('DELETE FROM paused_accounts WHERE account_id = ?')
  const pausedAccountsStmt = db.prepare<
    [],
    { account_id: string; reason_code: string; reason_message: string }
  >('SELECT * FROM paused_accounts')
  const getSettingStmt = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck()
  const setSettingStmt = db.prepare('INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)')

  // The transitions: one statement each, prepared once (preparing costs more than running a small UPDATE).
  const update = (sets: string) => db.prepare(`UPDATE jobs SET ${sets}, updated_at = @at WHERE id = @id`)
  const toState = update('state = @state')
  const retryLaterStmt = update(
    "state = 'queued', error_code = @code, error_message = @message, retry_at = @retryAt, changed_retries = @changedRetries",
  )
  const withErrorStmt = update('state = @state, error_code = @code, error_message = @message')
  const resumeStmt = update("state = 'queued', retry_at = NULL")
  const retryNowStmt = update("state = 'queued', retry_at = NULL, attempts = 0, changed_retries = 0")
  const progressStmt = update('bytes_done = @bytes')
  const multipartStmt = update('upload_id = @uploadId, part_size = @partSize')
  const markDoneStmt = db.prepare<
    [string, string | null, number, number, number, string, number]
  >(`UPDATE jobs
    SET state = 'done', sha256 = ?, etag = ?, size = ?, mtime_ms = ?, bytes_done = ?, error_code = NULL,
      error_message = NULL, upload_id = NULL, part_size = NULL, updated_at = ?
    WHERE id = ?`)

  // The process running the queue is the only writer of these two tables (it holds the queue, queue-owner.ts),
  // and the scheduler asks for them on every step: they are read from the DB once and then kept in step here.
  const settings = new Map<string, string | undefined>()
  let paused: { accountId: string; reason: IpcError }[] | undefined
  const commits = createGroupCommit(db, {
    groupCommitMs: options.groupCommitMs ?? 20,
    onCommitError: options.onCommitError,
    onRollback: () => {
      settings.clear()
      paused = undefined
    },
  })

  return {
    /** Adds many jobs in one transaction (a dropped folder of 10,000 files is one commit, not 10,000). */
    insertMany(jobs: NewJob[]): StoredJob[] {
      const at = now()
      return commits.transaction(() =>
        jobs.map((job) => {
          const { lastInsertRowid } = insert.run({
            ...job,
            encryption: JSON.stringify(job.encryption),
            storageClass: job.storageClass ?? null,
            syncPairId: job.syncPairId ?? null,
            at,
          })
          // Built here rather than read back (RETURNING * cost twice the insert); a unit test holds it to `get`.
          return newJob(Number(lastInsertRowid), job, at)
        }),
      )
    },
    get(id: number): StoredJob | undefined {
      const row = byId.get(id)
      return row ? toJob(row) : undefined
    },
    /** Only a job's state and account: what waiting for jobs needs, without reading the whole row. */
    stateOf(id: number): { state: JobState; accountId: string } | undefined {
      return stateById.get(id)
    },
    /** Every job: for tests and small queues only (the UI reads pages, see `page`). */
    list(): StoredJob[] {
      return all.all().map(toJob)
    },
    /** The jobs in these states (what "pause all", "cancel all"... act on), oldest first. */
    inStates(states: readonly JobState[]): StoredJob[] {
      return inStates.all(JSON.stringify(states)).map(toJob)
    },
    idsInState(state: JobState): number[] {
      return idsInState.all(state)
    },
    /** Pages of jobs, newest first (job-pages.ts). */
    pages: createJobPages(db),
    /** Failed, held and retrying jobs grouped by cause (problem-groups.ts). */
    problems: createProblemGroups(db),
    /** Done jobs pruned into a count per day (job-history.ts). */
    history: createJobHistory(db),
    /** The queue's saved settings (queue-settings.ts): the request limit. */
    settings: createQueueSettings(db),
    /** The next RUNNABLE_BATCH jobs that may start, in order (ids and accounts; `claim` the ones started). */
    runnable(nowMs: number): RunnableJob[] {
      return runnable.all(nowMs)
    },
    nextRetryAt(): number | undefined {
      return nextRetry.get()?.at ?? undefined
    },
    counts(): Record<JobState, number> {
      const result = { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 }
      for (const { state, n } of counts.all()) result[state] = n
      return result
    },
    /** An unfinished job for the same target, so a second enqueue of the same file does not duplicate it. */
    activeFor(accountId: string, bucket: string, key: string): number | undefined {
      return activeForSource.get(accountId, bucket, key)?.id
    },
    /** A finished upload of this very file version to this target (same path, size and mtime). */
    doneUnchanged(job: NewJob): number | undefined {
      // Asking for another storage class is a new upload, not a repeat of the finished one.
      return doneUnchanged.get(
        job.accountId,
        job.bucket,
        job.key,
        job.sourcePath,
        job.size,
        job.mtimeMs,
        job.storageClass ?? null,
      )?.id
    },
    failedFor(syncPairId: string): StoredJob[] {
      return failedForPair.all(syncPairId).map(toJob)
    },
    /** How many of a watched folder's jobs failed, and the latest failure's reason; undefined when none did. */
    failureSummaryFor(syncPairId: string): { count: number; error: IpcError } | undefined {
      const row = failureSummaryForPair.get(syncPairId)
      if (!row?.n) return undefined
      return {
        count: row.n,
        error: { code: (row.error_code ?? 'INTERNAL') as IpcError['code'], message: row.error_message ?? '' },
      }
    },
    pendingFor(syncPairId: string): number {
      return pendingForPair.get(syncPairId)?.n ?? 0
    },

    /** Marks a queued job running (one more attempt) and returns it; undefined when it is no longer queued. */
    claim(id: number): StoredJob | undefined {
      const row = claimStmt.get(now(), id)
      return row ? toJob(row) : undefined
    },
    /** A running job's bytes sent so far, saved now and then so that a restart shows how far it got. */
    saveProgress(id: number, bytes: number): void {
      progressStmt.run({ id, bytes, at: now() })
    },
    /** The multipart upload a job started (continued after a restart), or none any more (`undefined`). */
    saveMultipart(id: number, multipart: { uploadId: string; partSize: number } | undefined): void {
      multipartStmt.run({
        id,
        uploadId: multipart?.uploadId ?? null,
        partSize: multipart?.partSize ?? null,
        at: now(),
      })
    },
    /**
     * Back to the queue: as it was (the app stops; its multipart state is kept to continue next time), or after
     * an error, to run again at `retryAt`.
     */
    requeue(id: number, retry?: RetryLater): void {
      if (!retry) toState.run({ id, state: 'queued', at: now() })
      else
        retryLaterStmt.run({
          id,
          code: retry.error.code,
          message: retry.error.message,
          retryAt: retry.retryAt,
          changedRetries: retry.changedRetries,
          at: now(),
        })
    },
    /** Queued with the error of its account, which is held (`pauseAccount`) until the user fixes it. */
    hold(id: number, error: IpcError): void {
      withErrorStmt.run({ id, state: 'queued', code: error.code, message: error.message, at: now() })
    },
    /**
     * Holds the queued jobs of `id`'s batch (same account and bucket, and with `sameEncryption` the same encryption)
     * with `error`: paused with the reason, so that the user retries or cancels them together. Returns their ids.
     */
    holdBatch(id: number, error: IpcError, sameEncryption: boolean): number[] {
      return holdBatchStmt.all({
        id,
        sameEncryption: sameEncryption ? 1 : 0,
        code: error.code,
        message: error.message,
        at: now(),
      })
    },
    /** Paused by the user: it does not run until resumed. */
    pause(id: number): void {
      toState.run({ id, state: 'paused', at: now() })
    },
    /** A paused job queued again, to run at once. */
    resume(id: number): void {
      resumeStmt.run({ id, at: now() })
    },
    /** A job the user retries: queued to run at once, with its attempt counts started again. */
    retryNow(id: number): void {
      retryNowStmt.run({ id, at: now() })
    },
    /** A job ends failed (with its reason) or cancelled. */
    finish(id: number, end: JobEnd): void {
      if (end.state === 'cancelled') toState.run({ id, state: 'cancelled', at: now() })
      else
        withErrorStmt.run({
          id,
          state: 'failed',
          code: end.error.code,
          message: end.error.message,
          at: now(),
        })
    },
    /**
     * Records a running job's upload as done and returns the job as now stored, built from `job` (as claimed)
     * rather than read back: reading whole rows was a visible share of the CPU per small file.
     */
    markDone(
      job: StoredJob,
      result: { sha256: string; etag?: string; size: number; mtimeMs: number },
    ): StoredJob {
      const at = now()
      markDoneStmt.run(
        result.sha256,
        result.etag ?? null,
        result.size,
        result.mtimeMs,
        result.size,
        at,
        job.id,
      )
      return {
        ...job,
        state: 'done',
        sha256: result.sha256,
        etag: result.etag,
        size: result.size,
        mtimeMs: result.mtimeMs,
        bytesDone: result.size,
        error: undefined,
        uploadId: undefined,
        partSize: undefined,
        updatedAt: at,
      }
    },
    /** After a crash nothing is running: running jobs go back to the queue, keeping their multipart upload. */
    recoverInterrupted(): number {
      return requeueRunning.run().changes
    },
    /**
     * Jobs the DB says are running but no upload of this process runs (`runningIds`): their end could not be
     * written (disk full, a group commit rolled back). They go back to the queue, like after a crash.
     */
    requeueStranded(runningIds: number[]): number {
      return requeueStrandedStmt.run(JSON.stringify(runningIds)).changes
    },
    remove(ids: number[]): void {
      db.transaction(() => {
        for (const id of ids) removeJob.run(id)
      })()
    },
    pendingIds(): number[] {
      return pending.all()
    },
    pauseAccount(accountId: string, reason: IpcError): void {
      pauseAccountStmt.run(accountId, reason.code, reason.message)
      paused = undefined
    },
    resumeAccount(accountId: string): void {
      if (resumeAccountStmt.run(accountId).changes > 0) paused = undefined
    },
    pausedAccounts(): readonly { accountId: string; reason: IpcError }[] {
      paused ??= pausedAccountsStmt.all().map((r) => ({
        accountId: r.account_id,
        reason: { code: r.reason_code, message: r.reason_message } as IpcError,
      }))
      return paused
    },
    transaction: commits.transaction,
    grouped: commits.grouped,
    flush: commits.flush,
    close(): void {
      commits.flush()
      db.close()
    },
    /** Whether the user paused the whole queue (kept across restarts). */
    pausedByUser(): boolean {
      if (!settings.has(PAUSED_ALL)) settings.set(PAUSED_ALL, getSettingStmt.get(PAUSED_ALL))
      return settings.get(PAUSED_ALL) === 'true'
    },
    setPausedByUser(pausedAll: boolean): void {
      const value = String(pausedAll)
      setSettingStmt.run(PAUSED_ALL, value)
      settings.set(PAUSED_ALL, value)
    },
  }
}

export type JobStore = ReturnType<typeof createJobStore>
