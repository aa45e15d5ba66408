import type { IpcError } from '../../../preload/contract/errors'
import type { ResolvedEncryption } from '../../../preload/contract/models'
import type { Job, JobState } from '../../../preload/contract/queue-models'
import type { QueueDatabase } from './queue-db'

/** A job as stored, with what the queue needs beyond what the UI sees. */
export interface StoredJob extends Job {
  mtimeMs: number
  sha256?: string
  uploadId?: string
  partSize?: number
  changedRetries: number
  etag?: string
}

export interface NewJob {
  accountId: string
  bucket: string
  key: string
  sourcePath: string
  size: number
  mtimeMs: number
  encryption: ResolvedEncryption
  origin: 'manual' | 'sync'
  syncPairId?: string
}

interface Row {
  id: number
  account_id: string
  bucket: string
  object_key: string
  source_path: string
  size: number
  mtime_ms: number
  sha256: string | null
  encryption: string
  state: JobState
  attempts: number
  changed_retries: number
  error_code: string | null
  error_message: string | null
  bytes_done: number
  upload_id: string | null
  part_size: number | null
  retry_at: number | null
  origin: 'manual' | 'sync'
  sync_pair_id: string | null
  etag: string | null
  created_at: string
  updated_at: string
}

function toJob(row: Row): StoredJob {
  return {
    id: row.id,
    accountId: row.account_id,
    bucket: row.bucket,
    key: row.object_key,
    sourcePath: row.source_path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    sha256: row.sha256 ?? undefined,
    encryption: JSON.parse(row.encryption) as ResolvedEncryption,
    state: row.state,
    attempts: row.attempts,
    changedRetries: row.changed_retries,
    bytesDone: row.bytes_done,
    error: row.error_code
      ? ({ code: row.error_code, message: row.error_message ?? '' } as IpcError)
      : undefined,
    retryAt: row.retry_at ? new Date(row.retry_at).toISOString() : undefined,
    uploadId: row.upload_id ?? undefined,
    partSize: row.part_size ?? undefined,
    origin: row.origin,
    syncPairId: row.sync_pair_id ?? undefined,
    etag: row.etag ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** How many runnable jobs one look at the queue returns. */
export const RUNNABLE_BATCH = 64

export interface JobStoreOptions {
  /** How long the writes of finished jobs may wait to be committed together (see `grouped`). */
  groupCommitMs?: number
  /** Hears of a group commit that failed (disk full, I/O error): its jobs will run again. */
  onCommitError?: (error: unknown) => void
}

/** A job as `insertMany` stores it (the column defaults of the jobs table). */
function newJob(id: number, job: NewJob, at: string): StoredJob {
  return {
    id,
    accountId: job.accountId,
    bucket: job.bucket,
    key: job.key,
    sourcePath: job.sourcePath,
    size: job.size,
    mtimeMs: job.mtimeMs,
    sha256: undefined,
    encryption: job.encryption,
    state: 'queued',
    attempts: 0,
    changedRetries: 0,
    bytesDone: 0,
    error: undefined,
    retryAt: undefined,
    uploadId: undefined,
    partSize: undefined,
    origin: job.origin,
    syncPairId: job.syncPairId,
    etag: undefined,
    createdAt: at,
    updatedAt: at,
  }
}

/** Typed access to the jobs table; every method is one transaction (or part of the open group, see `grouped`). */
export function createJobStore(db: QueueDatabase, options: JobStoreOptions = {}) {
  const groupCommitMs = options.groupCommitMs ?? 20
  const now = () => new Date().toISOString()
  const insert = db.prepare(`INSERT INTO jobs
    (account_id, bucket, object_key, source_path, size, mtime_ms, encryption, state, origin, sync_pair_id, created_at, updated_at)
    VALUES (@accountId, @bucket, @key, @sourcePath, @size, @mtimeMs, @encryption, 'queued', @origin, @syncPairId, @at, @at)`)
  const byId = db.prepare<[number], Row>('SELECT * FROM jobs WHERE id = ?')
  const stateById = db.prepare<[number], { state: JobState; accountId: string }>(
    'SELECT state, account_id AS accountId FROM jobs WHERE id = ?',
  )
  const all = db.prepare<[], Row>('SELECT * FROM jobs ORDER BY id')
  // Only id and account: materializing whole rows the scheduler then skips cost more than the query itself.
  // The limit is a literal: better-sqlite3's SQLite (built with STAT4) re-compiles a statement whose LIMIT is a
  // bound parameter on every run, which doubled the cost of this query.
  const runnable = db.prepare<[number], { id: number; accountId: string }>(`SELECT id, account_id AS accountId
    FROM jobs
    WHERE state = 'queued' AND (retry_at IS NULL OR retry_at <= ?)
      AND account_id NOT IN (SELECT account_id FROM paused_accounts)
    ORDER BY id LIMIT ${RUNNABLE_BATCH}`)
  const nextRetry = db.prepare<[], { at: number | null }>(
    "SELECT MIN(retry_at) AS at FROM jobs WHERE state = 'queued' AND retry_at IS NOT NULL",
  )
  const counts = db.prepare<[], { state: JobState; n: number }>('SELECT state, n FROM job_counts')
  const doneUnchanged = db.prepare<
    [string, string, string, string, number, number],
    { id: number }
  >(`SELECT id FROM jobs
    WHERE account_id = ? AND bucket = ? AND object_key = ? AND source_path = ? AND size = ? AND mtime_ms = ?
      AND state = 'done' ORDER BY id DESC LIMIT 1`)
  // Uses the (state, id) index: a queue with 100,000 finished jobs is not read to find the few with a problem.
  const withProblems = db.prepare<[], Row>(
    "SELECT * FROM jobs WHERE state = 'failed' OR (state = 'queued' AND error_code IS NOT NULL) ORDER BY id",
  )
  const failedForPair = db.prepare<[string], Row>(
    "SELECT * FROM jobs WHERE sync_pair_id = ? AND state = 'failed'",
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
  const removeJob = db.prepare('DELETE FROM jobs WHERE id = ?')
  const pending = db
    .prepare<[], number>("SELECT id FROM jobs WHERE state IN ('queued', 'running') ORDER BY id")
    .pluck()
  const finished = db.prepare<[], number>("SELECT id FROM jobs WHERE state IN ('done', 'cancelled')").pluck()
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

  // Statements are prepared once per set of columns: preparing costs more than running a small UPDATE.
  const updates = new Map<string, ReturnType<typeof db.prepare>>()
  function patch(id: number, fields: Record<string, unknown>): void {
    const names = Object.keys(fields)
    if (names.length === 0) return
    const signature = names.join(',')
    let statement = updates.get(signature)
    if (!statement) {
      const sets = names.map((n) => `${n} = @${n}`).join(', ')
      statement = db.prepare(`UPDATE jobs SET ${sets}, updated_at = @updated_at WHERE id = @id`)
      updates.set(signature, statement)
    }
    statement.run({ ...fields, id, updated_at: now() })
  }
  const markDoneStmt = db.prepare<
    [string, string | null, number, number, number, string, number]
  >(`UPDATE jobs
    SET state = 'done', sha256 = ?, etag = ?, size = ?, mtime_ms = ?, bytes_done = ?, error_code = NULL,
      error_message = NULL, upload_id = NULL, part_size = NULL, updated_at = ?
    WHERE id = ?`)

  // Group commit: a commit per finished small file cost as much CPU as its upload (writes of a few WAL pages,
  // every time). `grouped` work joins one open transaction that is committed at most groupCommitMs later.
  // Reads on this connection see it at once; a crash loses at most that window, which the queue tolerates:
  // a job whose "running" or "done" was lost is simply queued again and re-uploads the same bytes (or finds
  // them on the server, see skipIfRemoteMatches). Anything else written meanwhile commits with the group.
  // One transaction wrapper for every call: better-sqlite3 builds four new functions for each db.transaction().
  const inTransaction = db.transaction((work: () => unknown) => work())
  let groupTimer: NodeJS.Timeout | undefined
  function commitGroup(): void {
    if (groupTimer) clearTimeout(groupTimer)
    groupTimer = undefined
    if (!db.inTransaction) return
    try {
      db.exec('COMMIT')
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      forgetCached()
      throw error
    }
  }

  // The process running the queue is the only writer of these two tables (it holds the queue, queue-owner.ts),
  // and the scheduler asks for them on every step: they are read from the DB once and then kept in step here.
  const settings = new Map<string, string | undefined>()
  let paused: { accountId: string; reason: IpcError }[] | undefined
  function forgetCached(): void {
    settings.clear()
    paused = undefined
  }

  return {
    /** Adds many jobs in one transaction (a dropped folder of 10,000 files is one commit, not 10,000). */
    insertMany(jobs: NewJob[]): StoredJob[] {
      const at = now()
      return this.transaction(() =>
        jobs.map((job) => {
          const { lastInsertRowid } = insert.run({
            ...job,
            encryption: JSON.stringify(job.encryption),
            syncPairId: job.syncPairId ?? null,
            at,
          })
          // Built here rather than read back (RETURNING * cost twice the insert); a unit test holds it to `get`.
          return newJob(Number(lastInsertRowid), job, at)
        }),
      )
    },
    addMany(jobs: NewJob[]): number[] {
      return this.insertMany(jobs).map((j) => j.id)
    },
    get(id: number): StoredJob | undefined {
      const row = byId.get(id)
      return row ? toJob(row) : undefined
    },
    /** Only a job's state and account: what waiting for jobs needs, without reading the whole row. */
    stateOf(id: number): { state: JobState; accountId: string } | undefined {
      return stateById.get(id)
    },
    list(): StoredJob[] {
      return all.all().map(toJob)
    },
    /** The next RUNNABLE_BATCH jobs that may start, in order (ids and accounts; `claim` the ones started). */
    runnable(nowMs: number): { id: number; accountId: string }[] {
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
      return doneUnchanged.get(job.accountId, job.bucket, job.key, job.sourcePath, job.size, job.mtimeMs)?.id
    },
    /** Failed jobs, and queued ones waiting after an error (retrying, or held by their account). */
    withProblems(): StoredJob[] {
      return withProblems.all().map(toJob)
    },
    failedFor(syncPairId: string): StoredJob[] {
      return failedForPair.all(syncPairId).map(toJob)
    },
    pendingFor(syncPairId: string): number {
      return pendingForPair.get(syncPairId)?.n ?? 0
    },
    setState(id: number, state: JobState, extra: Record<string, unknown> = {}): void {
      patch(id, { state, ...extra })
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
    /** Marks a queued job running (one more attempt) and returns it; undefined when it is no longer queued. */
    claim(id: number): StoredJob | undefined {
      const row = claimStmt.get(now(), id)
      return row ? toJob(row) : undefined
    },
    patch,
    /** After a crash nothing is running: running jobs go back to the queue, keeping their multipart upload. */
    recoverInterrupted(): number {
      return requeueRunning.run().changes
    },
    remove(ids: number[]): void {
      db.transaction(() => {
        for (const id of ids) removeJob.run(id)
      })()
    },
    pendingIds(): number[] {
      return pending.all()
    },
    finishedIds(): number[] {
      return finished.all()
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
    /** Runs `work` as one transaction: the writes of one scheduler step cost one commit, not one each. */
    transaction<T>(work: () => T): T {
      try {
        return inTransaction(work) as T
      } catch (error) {
        // Rolled back: what was kept in step above may not be what the DB holds now.
        forgetCached()
        throw error
      }
    },
    /**
     * Runs `work` (its own savepoint: it applies whole or not at all) inside the group transaction, opened here
     * if none is, and committed within groupCommitMs.
     */
    grouped<T>(work: () => T): T {
      if (!db.inTransaction) {
        db.exec('BEGIN IMMEDIATE')
        groupTimer = setTimeout(() => {
          try {
            commitGroup()
          } catch (error) {
            // Rolled back: as after a crash, the jobs of this group are queued again and run once more.
            options.onCommitError?.(error)
          }
        }, groupCommitMs)
      }
      return this.transaction(work)
    },
    /** Commits the open group now (before stopping, or when a change must be on disk). */
    flush(): void {
      commitGroup()
    },
    close(): void {
      commitGroup()
      db.close()
    },
    getSetting(name: string): string | undefined {
      if (!settings.has(name)) settings.set(name, getSettingStmt.get(name))
      return settings.get(name)
    },
    setSetting(name: string, value: string): void {
      setSettingStmt.run(name, value)
      settings.set(name, value)
    },
  }
}

export type JobStore = ReturnType<typeof createJobStore>
