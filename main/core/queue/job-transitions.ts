import type { IpcError } from '../../../preload/contract/errors'
import { paramsColumn, type Row, type StoredJob, toJob } from './job-rows'
import type { QueueDatabase } from './queue-db'

/** When a job put back in the queue after an error may run again, and how often its source changed so far. */
export interface RetryLater {
  error: IpcError
  retryAt: number
  changedRetries: number
}

/** How a job ended other than with its upload done (see `markDone`). */
export type JobEnd = { state: 'failed'; error: IpcError } | { state: 'cancelled' }

/** The columns of a job's error (the statements below bind them as @code, @message, @params). */
const WITH_ERROR = 'error_code = @code, error_message = @message, error_params = @params'

function errorColumns(error: IpcError) {
  return { code: error.code, message: error.message, params: paramsColumn(error) }
}

/**
 * A job's state changes, each a named transition of one prepared statement (preparing costs more than running a
 * small UPDATE), so that the table's columns stay in this file.
 */
export function createJobTransitions(db: QueueDatabase) {
  const now = () => new Date().toISOString()
  // Takes a queued job and returns it as it now is: one statement instead of a read and a write per start.
  const claimStmt = db.prepare<[string, number], Row>(`UPDATE jobs
    SET state = 'running', attempts = attempts + 1, retry_at = NULL, updated_at = ?
    WHERE id = ? AND state = 'queued' RETURNING *`)
  const requeueRunning = db.prepare(
    "UPDATE jobs SET state = 'queued', retry_at = NULL WHERE state = 'running'",
  )
  const requeueStrandedStmt = db.prepare(`UPDATE jobs SET state = 'queued', retry_at = NULL
    WHERE state = 'running' AND id NOT IN (SELECT value FROM json_each(?))`)
  // The rest of a failed job's batch: held (paused with the reason) so that they do not fail one by one.
  const holdBatchStmt = db
    .prepare<
      {
        id: number
        sameEncryption: number
        code: string
        message: string
        params: string | null
        at: string
      },
      number
    >(`UPDATE jobs
    SET state = 'paused', error_code = @code, error_message = @message, error_params = @params, updated_at = @at
    WHERE state = 'queued' AND id != @id
      AND account_id = (SELECT account_id FROM jobs WHERE id = @id)
      AND bucket = (SELECT bucket FROM jobs WHERE id = @id)
      AND (@sameEncryption = 0 OR encryption = (SELECT encryption FROM jobs WHERE id = @id))
    RETURNING id`)
    .pluck()
  // The transitions: one statement each, prepared once (preparing costs more than running a small UPDATE).
  const update = (sets: string) => db.prepare(`UPDATE jobs SET ${sets}, updated_at = @at WHERE id = @id`)
  const toState = update('state = @state')
  const retryLaterStmt = update(
    `state = 'queued', ${WITH_ERROR}, retry_at = @retryAt, changed_retries = @changedRetries`,
  )
  const withErrorStmt = update(`state = @state, ${WITH_ERROR}`)
  const resumeStmt = update("state = 'queued', retry_at = NULL")
  const retryNowStmt = update("state = 'queued', retry_at = NULL, attempts = 0, changed_retries = 0")
  const progressStmt = update('bytes_done = @bytes')
  const multipartStmt = update('upload_id = @uploadId, part_size = @partSize')
  const markDoneStmt = db.prepare<
    [string, string | null, number, number, number, string, number]
  >(`UPDATE jobs
    SET state = 'done', sha256 = ?, etag = ?, size = ?, mtime_ms = ?, bytes_done = ?, error_code = NULL,
      error_message = NULL, error_params = NULL, upload_id = NULL, part_size = NULL, updated_at = ?
    WHERE id = ?`)

  return {
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
          ...errorColumns(retry.error),
          retryAt: retry.retryAt,
          changedRetries: retry.changedRetries,
          at: now(),
        })
    },
    /** Queued with the error of its account, which is held (`pauseAccount`) until the user fixes it. */
    hold(id: number, error: IpcError): void {
      withErrorStmt.run({ id, state: 'queued', ...errorColumns(error), at: now() })
    },
    /**
     * Holds the queued jobs of `id`'s batch (same account and bucket, and with `sameEncryption` the same encryption)
     * with `error`: paused with the reason, so that the user retries or cancels them together. Returns their ids.
     */
    holdBatch(id: number, error: IpcError, sameEncryption: boolean): number[] {
      return holdBatchStmt.all({
        id,
        sameEncryption: sameEncryption ? 1 : 0,
        ...errorColumns(error),
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
          ...errorColumns(end.error),
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
  }
}
