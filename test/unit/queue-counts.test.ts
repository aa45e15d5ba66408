import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import { testJob as job } from '../support/job-fixtures'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sync-counts-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The counts as a full scan of the table gives them: what the status summary must always agree with. */
function scanned(path: string): Record<string, number> {
  const db = openQueueDatabase(path)
  const rows = db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
    state: string
    n: number
  }[]
  db.close()
  return Object.fromEntries(rows.map((r) => [r.state, r.n]))
}

const nonZero = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))

describe('job counts per state (for the status summary)', () => {
  it('follow every add, state change and removal', () => {
    const path = join(dir, 'queue.db')
    const store = createJobStore(openQueueDatabase(path))
    const ids = store.insertMany([1, 2, 3, 4, 5].map(job)).map((j) => j.id)
    const running = store.claim(ids[0] as number)
    store.markDone(running!, { sha256: 'ab'.repeat(32), size: 1, mtimeMs: 1 })
    store.finish(ids[1] as number, { state: 'failed', error: { code: 'ACCESS_DENIED', message: 'denied' } })
    store.hold(ids[2] as number, { code: 'BAD_CREDENTIALS', message: 'bad key' })
    store.saveProgress(ids[3] as number, 1)
    store.remove([ids[0] as number])
    expect(store.counts()).toEqual({ queued: 3, running: 0, paused: 0, done: 0, failed: 1, cancelled: 0 })
    store.close()
    expect(scanned(path)).toEqual({ queued: 3, failed: 1 })
  })

  it('are built when a queue written by the first version is opened, keeping its jobs', () => {
    const path = join(dir, 'old.db')
    const first = createJobStore(openQueueDatabase(path))
    const ids = first.insertMany([1, 2, 3].map(job)).map((j) => j.id)
    first.finish(ids[0] as number, { state: 'cancelled' })
    first.close()
    // Turn it back into a version-1 file: no counts table, no triggers.
    const db = openQueueDatabase(path)
    db.exec(`DROP TRIGGER job_counts_insert; DROP TRIGGER job_counts_delete; DROP TRIGGER job_counts_update;
      DROP TABLE job_counts; PRAGMA user_version = 1;`)
    db.prepare("UPDATE jobs SET state = 'failed' WHERE id = ?").run(ids[1])
    db.close()

    const store = createJobStore(openQueueDatabase(path))
    expect(nonZero(store.counts())).toEqual({ queued: 1, cancelled: 1, failed: 1 })
    store.finish(ids[2] as number, { state: 'cancelled' })
    expect(nonZero(store.counts())).toEqual({ cancelled: 2, failed: 1 })
    store.close()
  })
})
