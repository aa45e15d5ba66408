import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore, type NewJob } from '../../main/core/queue/job-store'
import { openQueueDatabase, type QueueDatabase } from '../../main/core/queue/queue-db'
import { queueOn } from '../support/injected-queue'
import { testJob } from '../support/job-fixtures'

/**
 * "Uploaded earlier" of a Transfers view narrowed to an account or watched folder counts that one's uploads only
 * (the pruned history keeps a row per day, account and folder since queue DB schema 6); rows counted before keep
 * their figures in the whole queue's history.
 */
const NOW = Date.parse('2026-11-30T12:00:00.000Z')

let dir: string
let path: string
let db: QueueDatabase
let store: JobStore
function open(): void {
  db = openQueueDatabase(path)
  store = createJobStore(db, { groupCommitMs: 0 })
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sync-history-'))
  path = join(dir, 'queue.db')
  open()
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Finished uploads of `n` bytes each, last changed on `iso` (the prune goes by that). */
function doneJobs(jobs: NewJob[], iso: string, size = 100): number[] {
  const ids = store.insertMany(jobs.map((j) => ({ ...j, size }))).map((j) => j.id)
  for (const id of ids) store.markDone(store.claim(id)!, { sha256: 'x', size, mtimeMs: 1 })
  store.flush()
  const age = db.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?')
  for (const id of ids) age.run(iso, id)
  return ids
}
const job = (i: number, accountId: string, syncPairId?: string): NewJob => ({
  ...testJob(i),
  accountId,
  ...(syncPairId ? { syncPairId, origin: 'sync' as const } : {}),
})

describe('the upload history per account and watched folder', () => {
  it('narrowed figures: each account and folder counts its own uploads; the whole queue counts all', async () => {
    doneJobs([job(1, 'lab', 'pair-a'), job(2, 'lab', 'pair-a'), job(3, 'lab')], '2026-11-01T10:00:00.000Z')
    doneJobs([job(4, 'home', 'pair-h')], '2026-11-01T11:00:00.000Z', 1000)
    doneJobs([job(5, 'lab', 'pair-a')], '2026-11-02T11:00:00.000Z')
    const queue = queueOn(store, { now: () => NOW })
    queue.start()
    try {
      expect(queue.history().total).toEqual({ uploads: 5, bytes: 1400 })
      expect(queue.history().days).toEqual([
        { day: '2026-11-02', uploads: 1, bytes: 100 },
        { day: '2026-11-01', uploads: 4, bytes: 1300 },
      ])
      expect(queue.history({ accountId: 'lab' })).toMatchObject({
        total: { uploads: 4, bytes: 400 },
        days: [
          { day: '2026-11-02', uploads: 1, bytes: 100 },
          { day: '2026-11-01', uploads: 3, bytes: 300 },
        ],
      })
      expect(queue.history({ syncPairId: 'pair-a' }).total).toEqual({ uploads: 3, bytes: 300 })
      expect(queue.history({ accountId: 'home' }).total).toEqual({ uploads: 1, bytes: 1000 })
      expect(queue.history({ accountId: 'home', syncPairId: 'pair-a' }).total).toEqual({
        uploads: 0,
        bytes: 0,
      })
      // Nothing was counted before the history kept whose uploads they were.
      expect(queue.history({ accountId: 'lab' }).unattributed).toBeUndefined()

      // "Clear finished" of one folder adds to that folder's (and its account's) figure only.
      doneJobs([job(6, 'lab', 'pair-a'), job(7, 'home', 'pair-h')], '2026-11-30T11:00:00.000Z')
      queue.clearFinished({ syncPairId: 'pair-a' })
      expect(queue.history({ syncPairId: 'pair-a' }).total.uploads).toBe(4)
      expect(queue.history({ accountId: 'home' }).total.uploads).toBe(1)
      expect(queue.history().total.uploads).toBe(6)
    } finally {
      await queue.stop()
    }
  })

  it('a queue DB of schema 5 keeps its history rows: in the whole figure, not in a narrowed one, which says so', async () => {
    // Schema 5 as it was: one row per day, no account or folder; real done jobs waiting to be pruned.
    doneJobs([job(1, 'lab', 'pair-a'), job(2, 'home')], '2026-11-10T09:00:00.000Z', 10)
    store.close()
    const old = new Database(path)
    old.exec(`
      DROP TABLE upload_history;
      CREATE TABLE upload_history (day TEXT PRIMARY KEY, uploads INTEGER NOT NULL, bytes INTEGER NOT NULL);
      INSERT INTO upload_history (day, uploads, bytes) VALUES ('2026-11-01', 40, 4000), ('2026-11-10', 2, 200);
    `)
    old.pragma('user_version = 5')
    old.close()

    open()
    expect(db.pragma('user_version', { simple: true })).toBe(6)
    const queue = queueOn(store, { now: () => NOW })
    expect(queue.history()).toMatchObject({
      total: { uploads: 42, bytes: 4200 },
      days: [
        { day: '2026-11-10', uploads: 2, bytes: 200 },
        { day: '2026-11-01', uploads: 40, bytes: 4000 },
      ],
    })
    // The done jobs (20 days old) are pruned with their account and folder, on the same day as old rows.
    queue.start()
    try {
      expect(queue.history().total).toEqual({ uploads: 44, bytes: 4220 })
      expect(queue.history().days[0]).toEqual({ day: '2026-11-10', uploads: 4, bytes: 220 })
      expect(queue.history({ accountId: 'lab' })).toMatchObject({
        total: { uploads: 1, bytes: 10 },
        days: [{ day: '2026-11-10', uploads: 1, bytes: 10 }],
        unattributed: { uploads: 42, bytes: 4200 },
      })
      expect(queue.history({ syncPairId: 'pair-a' }).total).toEqual({ uploads: 1, bytes: 10 })
      expect(queue.history({ accountId: 'home' }).total).toEqual({ uploads: 1, bytes: 10 })
      // The whole queue's figure needs no such remark.
      expect(queue.history().unattributed).toBeUndefined()
    } finally {
      await queue.stop()
    }
    // Opened again: migrated once, nothing counted twice.
    store.close()
    open()
    expect(queueOn(store).history().total).toEqual({ uploads: 44, bytes: 4220 })
  })
})

it('a schema-6 file whose user_version was set back opens without losing its per-account rows', () => {
  doneJobs([job(1, 'lab')], '2026-11-10T09:00:00.000Z', 10)
  store.history.clearDone()
  store.close()
  const old = new Database(path)
  old.pragma('user_version = 5')
  old.close()
  open()
  expect(store.history.summary({ accountId: 'lab' }).total).toEqual({ uploads: 1, bytes: 10 })
})
