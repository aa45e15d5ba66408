import type { IpcError } from '../../../preload/contract/errors'
import type { JobState } from '../../../preload/contract/queue-models'
import { type NewJob, type Row, type StoredJob, storedError, toJob } from './job-rows'
import { IN_SCOPE, type JobScope, scopeParams } from './job-scope'
import type { QueueDatabase } from './queue-db'
import { sameFileVersion } from './same-upload'

/** How many runnable jobs one look at the queue returns. */
export const RUNNABLE_BATCH = 64

/** A job that may start: its id, account and batch (account, bucket and encryption, as one string). */
export interface RunnableJob {
  id: number
  accountId: string
  batch: string
  /** Bytes: how many may run at once depends on it (transfer-slots.ts). */
  size: number
}

type ScopeParams = ReturnType<typeof scopeParams>

/** The reads of single jobs and small sets of them (the scheduler's, the waits', a watched folder's). */
export function createJobReads(db: QueueDatabase) {
  const byId = db.prepare<[number], Row>('SELECT * FROM jobs WHERE id = ?')
  const stateById = db.prepare<[number], { state: JobState; accountId: string }>(
    'SELECT state, account_id AS accountId FROM jobs WHERE id = ?',
  )
  const all = db.prepare<[], Row>('SELECT * FROM jobs ORDER BY id')
  const inStates = db.prepare<ScopeParams & { states: string }, Row>(
    `SELECT * FROM jobs WHERE state IN (SELECT value FROM json_each(@states)) AND ${IN_SCOPE} ORDER BY id`,
  )
  const idsInState = db
    .prepare<ScopeParams & { state: JobState }, number>(
      `SELECT id FROM jobs WHERE state = @state AND ${IN_SCOPE} ORDER BY id`,
    )
    .pluck()
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
  const latestForTarget = db.prepare<[string, string, string], Row>(
    'SELECT * FROM jobs WHERE account_id = ? AND bucket = ? AND object_key = ? ORDER BY id DESC LIMIT 1',
  )
  const failedForPair = db.prepare<[string], Row>(
    "SELECT * FROM jobs WHERE sync_pair_id = ? AND state = 'failed'",
  )
  // SQLite takes the bare columns of an aggregate query with MAX() from the row holding the maximum: the latest failure.
  const failureSummaryForPair = db.prepare<
    [string],
    {
      n: number
      last_id: number | null
      error_code: string | null
      error_message: string | null
      error_params: string | null
    }
  >(`SELECT COUNT(*) AS n, MAX(id) AS last_id, error_code, error_message, error_params
    FROM jobs WHERE sync_pair_id = ? AND state = 'failed'`)
  const pendingForPair = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM jobs WHERE sync_pair_id = ? AND state IN ('queued', 'running')",
  )
  const openForTarget = db.prepare<[string, string, string], Row>(`SELECT * FROM jobs
    WHERE account_id = ? AND bucket = ? AND object_key = ? AND state IN ('queued', 'running', 'paused', 'failed')
    ORDER BY id`)

  const pending = db
    .prepare<[], number>("SELECT id FROM jobs WHERE state IN ('queued', 'running') ORDER BY id")
    .pluck()
  const doneAmong = db
    .prepare<[string], number>(
      "SELECT count(*) FROM jobs WHERE state = 'done' AND id IN (SELECT value FROM json_each(?))",
    )
    .pluck()
  const notDoneAmong = db.prepare<[string], Row>(
    "SELECT * FROM jobs WHERE state != 'done' AND id IN (SELECT value FROM json_each(?)) ORDER BY id",
  )

  return {
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
    /** The jobs in these states (what "pause all", "cancel all"... act on) of a scope (job-scope.ts), oldest first. */
    inStates(states: readonly JobState[], scope?: JobScope): StoredJob[] {
      return inStates.all({ states: JSON.stringify(states), ...scopeParams(scope) }).map(toJob)
    },
    idsInState(state: JobState, scope?: JobScope): number[] {
      return idsInState.all({ state, ...scopeParams(scope) })
    },
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
    /** The jobs of one target that have not ended well or for good: unfinished, held, paused or failed. */
    openFor(accountId: string, bucket: string, key: string): StoredJob[] {
      return openForTarget.all(accountId, bucket, key).map(toJob)
    },
    /**
     * The finished upload that stands for this very file version (same path, size, mtime, encryption and class)
     * at its target, if any. Only the target's LATEST job counts: after a later upload with another KMS key the
     * object holds that key, so an older finished job with the key asked now says nothing of what is stored.
     */
    doneUnchanged(job: NewJob): StoredJob | undefined {
      const latest = latestForTarget.get(job.accountId, job.bucket, job.key)
      const done = latest && toJob(latest)
      return done?.state === 'done' && sameFileVersion(done, job) ? done : undefined
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
        error: storedError(row.error_code ?? 'INTERNAL', row.error_message, row.error_params),
      }
    },
    pendingFor(syncPairId: string): number {
      return pendingForPair.get(syncPairId)?.n ?? 0
    },

    pendingIds(): number[] {
      return pending.all()
    },
    /**
     * How a batch of jobs ended: how many are done, and the others as they are. Jobs no longer in the queue are
     * in neither. Two queries rather than a read per job: an upload of 100,000 files ends with this.
     */
    outcomeOf(ids: number[]): { done: number; unfinished: StoredJob[] } {
      const list = JSON.stringify(ids)
      return { done: doneAmong.get(list) ?? 0, unfinished: notDoneAmong.all(list).map(toJob) }
    },
  }
}
