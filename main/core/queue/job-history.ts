import { DEFAULT_KEEP_DONE_DAYS, type UploadHistory } from '../../../preload/contract/queue-page'
import { IN_SCOPE, isNarrowed, type JobScope, scopeParams } from './job-scope'
import type { QueueDatabase } from './queue-db'

type ScopeParams = ReturnType<typeof scopeParams>

const KEEP_DONE_DAYS = 'keep_done_days'
const DAY_MS = 24 * 60 * 60 * 1000
/** Rows deleted per transaction: a prune of 1,000,000 jobs does not hold the queue's writer for seconds. */
const PRUNE_CHUNK = 5000

/**
 * Finished uploads leave the queue for a compact history, one row per day (UTC), account and watched folder with a
 * count and the bytes, so that the queue DB stays small after millions of uploads: done jobs older than
 * `keepDoneDays` are pruned,
 * and "Clear finished" moves the done jobs there at once. Failed and cancelled jobs are not uploads: they are
 * not counted (cancelled ones are simply removed by a clear; failed ones stay until the user acts).
 */
export function createJobHistory(db: QueueDatabase) {
  // Uses jobs_done_age (state, updated_at); the ids come back so the UI can drop them from its window.
  const oldDone = db
    .prepare<[string], number>(
      `SELECT id FROM jobs WHERE state = 'done' AND updated_at < ? ORDER BY updated_at LIMIT ${PRUNE_CHUNK}`,
    )
    .pluck()
  const allDone = db
    .prepare<ScopeParams, number>(
      `SELECT id FROM jobs WHERE state = 'done' AND ${IN_SCOPE} LIMIT ${PRUNE_CHUNK}`,
    )
    .pluck()
  // Per day, account and watched folder ('' for an upload not of a folder), so that a narrowed view counts its own.
  const record = db.prepare<
    [string]
  >(`INSERT INTO upload_history (day, account_id, sync_pair_id, uploads, bytes)
      SELECT substr(updated_at, 1, 10), account_id, COALESCE(sync_pair_id, ''), COUNT(*), SUM(size) FROM jobs
        WHERE state = 'done' AND id IN (SELECT value FROM json_each(?)) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (day, account_id, sync_pair_id)
        DO UPDATE SET uploads = uploads + excluded.uploads, bytes = bytes + excluded.bytes`)
  const remove = db.prepare<[string]>('DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?))')
  // The history's columns have the jobs' names: the same scope rule (job-scope.ts) picks its rows.
  const total = db.prepare<ScopeParams, { uploads: number | null; bytes: number | null }>(
    `SELECT SUM(uploads) AS uploads, SUM(bytes) AS bytes FROM upload_history WHERE ${IN_SCOPE}`,
  )
  const days = db.prepare<ScopeParams, { day: string; uploads: number; bytes: number }>(
    `SELECT day, SUM(uploads) AS uploads, SUM(bytes) AS bytes FROM upload_history WHERE ${IN_SCOPE}
      GROUP BY day ORDER BY day DESC LIMIT 90`,
  )
  /** Counted before the history kept accounts and folders (queue DB schema 6): whose they were is not known. */
  const unattributed = db.prepare<[], { uploads: number | null; bytes: number | null }>(
    "SELECT SUM(uploads) AS uploads, SUM(bytes) AS bytes FROM upload_history WHERE account_id = ''",
  )
  const getSetting = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck()
  const setSetting = db.prepare('INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)')

  /** Moves the done jobs `next()` names into the history, a chunk per transaction; returns their ids. */
  function moveDone(next: () => number[]): number[] {
    const moved: number[] = []
    for (;;) {
      const chunk = db.transaction(() => {
        const ids = next()
        if (ids.length > 0) {
          const json = JSON.stringify(ids)
          record.run(json)
          remove.run(json)
        }
        return ids
      })()
      moved.push(...chunk)
      if (chunk.length < PRUNE_CHUNK) return moved
    }
  }

  function keepDoneDays(): number {
    const value = Number(getSetting.get(KEEP_DONE_DAYS))
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_KEEP_DONE_DAYS
  }

  return {
    keepDoneDays,
    setKeepDoneDays(days: number): void {
      setSetting.run(KEEP_DONE_DAYS, String(days))
    },
    /** Done jobs last changed more than keepDoneDays before `nowMs` go to the history; returns their ids. */
    prune(nowMs: number): number[] {
      const before = new Date(nowMs - keepDoneDays() * DAY_MS).toISOString()
      return moveDone(() => oldDone.all(before))
    },
    /** Every done job (of a scope, job-scope.ts) goes to the history ("Clear finished"); returns their ids. */
    clearDone(scope?: JobScope): number[] {
      const params = scopeParams(scope)
      return moveDone(() => allDone.all(params))
    },
    /**
     * The uploads that left the queue: of an account and/or watched folder when given (job-scope.ts), else all.
     * A narrowed summary also says how many were counted before the history kept whose they were.
     */
    summary(scope?: JobScope): UploadHistory {
      const params = scopeParams(scope)
      const sum = total.get(params)
      const unknown = isNarrowed(scope) ? unattributed.get() : undefined
      return {
        total: { uploads: sum?.uploads ?? 0, bytes: sum?.bytes ?? 0 },
        days: days.all(params),
        keepDoneDays: keepDoneDays(),
        ...(unknown?.uploads
          ? { unattributed: { uploads: unknown.uploads, bytes: unknown.bytes ?? 0 } }
          : {}),
      }
    },
  }
}

export type JobHistory = ReturnType<typeof createJobHistory>
