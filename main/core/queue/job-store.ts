import type { IpcError } from '../../../preload/contract/errors'
import { createGroupCommit } from './group-commit'
import { createJobHistory } from './job-history'
import { createJobPages } from './job-pages'
import { createJobReads } from './job-reads'
import { type NewJob, newJob, paramsColumn, type StoredJob, storedError } from './job-rows'
import { createJobTransitions } from './job-transitions'
import { createProblemGroups } from './problem-groups'
import type { QueueDatabase } from './queue-db'
import { createQueueSettings } from './queue-settings'

export { RUNNABLE_BATCH, type RunnableJob } from './job-reads'
export type { NewJob, StoredJob } from './job-rows'
export type { JobEnd, RetryLater } from './job-transitions'

/** The settings row that says the user paused the whole queue. */
const PAUSED_ALL = 'paused_all'

export interface JobStoreOptions {
  /** How long the writes of finished jobs may wait to be committed together (see group-commit.ts). */
  groupCommitMs?: number
  /** Hears of a group commit that failed (disk full, I/O error): its jobs will run again. */
  onCommitError?: (error: unknown) => void
}

/**
 * Typed access to the queue DB; every method is one transaction (or part of the open group, see `grouped`).
 * Reads of single jobs are in job-reads.ts, pages in job-pages.ts, problems in problem-groups.ts, the history in
 * job-history.ts; a job changes state only through the named transitions of job-transitions.ts. This file adds
 * jobs, removes them, and keeps the held accounts and the queue's settings.
 */
export function createJobStore(db: QueueDatabase, options: JobStoreOptions = {}) {
  const now = () => new Date().toISOString()
  const insert = db.prepare(`INSERT INTO jobs
    (account_id, bucket, object_key, source_path, size, mtime_ms, encryption, storage_class, state, origin, sync_pair_id, created_at, updated_at)
    VALUES (@accountId, @bucket, @key, @sourcePath, @size, @mtimeMs, @encryption, @storageClass, 'queued', @origin, @syncPairId, @at, @at)`)
  const removeJob = db.prepare('DELETE FROM jobs WHERE id = ?')
  const pauseAccountStmt = db.prepare(
    `INSERT OR REPLACE INTO paused_accounts (account_id, reason_code, reason_message, reason_params)
      VALUES (?, ?, ?, ?)`,
  )
  const resumeAccountStmt = db.prepare('DELETE FROM paused_accounts WHERE account_id = ?')
  const pausedAccountsStmt = db.prepare<
    [],
    { account_id: string; reason_code: string; reason_message: string; reason_params: string | null }
  >('SELECT * FROM paused_accounts')
  const getSettingStmt = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck()
  const setSettingStmt = db.prepare('INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)')

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
    ...createJobReads(db),
    ...createJobTransitions(db),
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
    /** Pages of jobs, newest first (job-pages.ts). */
    pages: createJobPages(db),
    /** Failed, held and retrying jobs grouped by cause (problem-groups.ts). */
    problems: createProblemGroups(db),
    /** Done jobs pruned into a count per day (job-history.ts). */
    history: createJobHistory(db),
    /** The queue's saved settings (queue-settings.ts): the request limit. */
    settings: createQueueSettings(db),
    remove(ids: number[]): void {
      db.transaction(() => {
        for (const id of ids) removeJob.run(id)
      })()
    },
    pauseAccount(accountId: string, reason: IpcError): void {
      pauseAccountStmt.run(accountId, reason.code, reason.message, paramsColumn(reason))
      paused = undefined
    },
    resumeAccount(accountId: string): void {
      if (resumeAccountStmt.run(accountId).changes > 0) paused = undefined
    },
    pausedAccounts(): readonly { accountId: string; reason: IpcError }[] {
      paused ??= pausedAccountsStmt.all().map((r) => ({
        accountId: r.account_id,
        reason: storedError(r.reason_code, r.reason_message, r.reason_params),
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
