import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore, type NewJob } from '../../main/core/queue/job-store'
import { openQueueDatabase, type QueueDatabase } from '../../main/core/queue/queue-db'
import { testJob as job } from '../support/job-fixtures'

let dir: string
let path: string
let store: JobStore
let other: QueueDatabase
const GROUP_MS = 40

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sync-jobstore-'))
  path = join(dir, 'queue.db')
  store = createJobStore(openQueueDatabase(path), { groupCommitMs: GROUP_MS })
  // A second connection sees only what is committed: what a restart after a crash would find.
  other = openQueueDatabase(path)
})
afterEach(() => {
  other.close()
  try {
    store.close()
  } catch {
    // closed by the test
  }
  rmSync(dir, { recursive: true, force: true })
})

const offline = { code: 'NETWORK', message: 'offline' } as const
const ids = (jobs: NewJob[]) => store.insertMany(jobs).map((j) => j.id) as [number, ...number[]]
/** A queued job claimed and uploaded. */
function finishedWell(id: number): void {
  const claimed = store.claim(id) ?? store.get(id)
  if (claimed) store.markDone(claimed, { sha256: 'ab'.repeat(32), size: 1, mtimeMs: 1 })
}

const committedState = (id: number) =>
  (other.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as { state: string } | undefined)?.state

describe('job store', () => {
  it('claims a queued job once: running, one more attempt, no retry time', () => {
    const [id] = ids([job(1)])
    expect(store.claim(id)).toMatchObject({ id, state: 'running', attempts: 1 })
    store.requeue(id, { error: offline, retryAt: 5, changedRetries: 0 })
    expect(store.get(id)?.retryAt).toBe(new Date(5).toISOString())
    const claimed = store.claim(id)
    expect(claimed).toMatchObject({ id, state: 'running', attempts: 2, retryAt: undefined })
    expect(store.claim(id)).toBeUndefined()
    const [paused] = ids([job(2)])
    store.pause(paused)
    expect(store.claim(paused)).toBeUndefined()
    expect(store.get(paused)?.state).toBe('paused')
  })

  it('insertMany returns the jobs exactly as stored', () => {
    const added = store.insertMany([job(1), { ...job(2), origin: 'sync', syncPairId: 'pair-1' }])
    expect(added.map((j) => j.id)).toEqual([1, 2])
    for (const j of added) expect(j).toEqual(store.get(j.id))
  })

  it('markDone returns the job exactly as stored, with what the last attempt left cleared', () => {
    const [id] = ids([job(1)])
    store.hold(id, offline)
    const claimed = store.claim(id) as NonNullable<ReturnType<typeof store.claim>>
    store.saveMultipart(id, { uploadId: 'upload-1', partSize: 8 })
    store.saveProgress(id, 8)
    expect(store.get(id)).toMatchObject({ uploadId: 'upload-1', partSize: 8, bytesDone: 8, error: offline })
    const done = store.markDone(claimed, { sha256: 'ab'.repeat(32), etag: '"e"', size: 2, mtimeMs: 3 })
    expect(done).toEqual(store.get(id))
    expect(done).toMatchObject({ state: 'done', sha256: 'ab'.repeat(32), bytesDone: 2, size: 2, mtimeMs: 3 })
    expect(done.error).toBeUndefined()
    expect(done.uploadId).toBeUndefined()
  })

  it('each transition changes what it names and keeps the rest', () => {
    const [id] = ids([job(1)])
    store.claim(id)
    store.saveMultipart(id, { uploadId: 'upload-1', partSize: 8 })
    // The app stops: back to the queue as it was, to continue the same multipart upload next time.
    store.requeue(id)
    expect(store.get(id)).toMatchObject({ state: 'queued', attempts: 1, uploadId: 'upload-1', partSize: 8 })
    store.claim(id)
    store.requeue(id, { error: offline, retryAt: 1000, changedRetries: 2 })
    expect(store.get(id)).toMatchObject({ state: 'queued', attempts: 2, changedRetries: 2, error: offline })
    store.retryNow(id)
    expect(store.get(id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      changedRetries: 0,
      retryAt: undefined,
    })
    store.claim(id)
    store.finish(id, { state: 'failed', error: { code: 'ACCESS_DENIED', message: 'denied' } })
    expect(store.get(id)).toMatchObject({
      state: 'failed',
      error: { code: 'ACCESS_DENIED', message: 'denied' },
    })
    store.finish(id, { state: 'cancelled' })
    store.saveMultipart(id, undefined)
    expect(store.get(id)).toMatchObject({ state: 'cancelled', uploadId: undefined, partSize: undefined })
    const [paused] = ids([job(2)])
    store.pause(paused)
    store.resume(paused)
    expect(store.claim(paused)).toMatchObject({ state: 'running', attempts: 1 })
  })

  it('grouped writes are seen at once here and committed together within the group window', async () => {
    const [a, b] = ids([job(1), job(2)]) as [number, number]
    store.grouped(() => store.claim(a))
    store.grouped(() => finishedWell(a))
    store.grouped(() => store.claim(b))
    expect(store.get(a)?.state).toBe('done')
    expect(store.runnable(Date.now())).toEqual([])
    // Not on disk yet: a crash now would find both jobs queued and run them again.
    expect([committedState(a), committedState(b)]).toEqual(['queued', 'queued'])
    await new Promise((resolve) => setTimeout(resolve, GROUP_MS * 3))
    expect([committedState(a), committedState(b)]).toEqual(['done', 'running'])
  })

  it('flush and close commit the open group at once', () => {
    const [a, b] = ids([job(1), job(2)]) as [number, number]
    store.grouped(() => finishedWell(a))
    store.flush()
    expect(committedState(a)).toBe('done')
    store.grouped(() => store.finish(b, { state: 'failed', error: offline }))
    store.close()
    expect(committedState(b)).toBe('failed')
  })

  it('a grouped step that throws is undone alone; the rest of the group commits', async () => {
    const [a, b] = ids([job(1), job(2)]) as [number, number]
    store.grouped(() => finishedWell(a))
    expect(() =>
      store.grouped(() => {
        finishedWell(b)
        throw new Error('listener failed')
      }),
    ).toThrow('listener failed')
    expect(store.get(b)?.state).toBe('queued')
    store.flush()
    expect([committedState(a), committedState(b)]).toEqual(['done', 'queued'])
  })

  it('a grouped step keeps its undo pages in memory: no temporary file written per finished job', () => {
    // Each grouped step is a savepoint inside the open group transaction; SQLite keeps the pages it may have to
    // put back in a sub-journal, which past 64 KiB went to a temporary file on disk (a write per page: finishing a
    // small upload and claiming the next touch ~16 pages). That file is opened and unlinked at once, so only the
    // process's open files show it.
    const openTempFiles = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return /etilqs_/.test(readlinkSync(`/proc/self/fd/${fd}`))
        } catch {
          return false // closed meanwhile
        }
      }).length
    const many = store.insertMany(
      Array.from({ length: 3000 }, (_, i) => ({
        ...job(i),
        sourcePath: `/tmp/${'long-folder-name/'.repeat(8)}f${i}`,
      })),
    )
    store.grouped(() => {
      for (let i = 0; i < many.length; i += 100) finishedWell(many[i]!.id)
    })
    expect(openTempFiles()).toBe(0)
    store.flush()
    expect(committedState(many[0]!.id)).toBe('done')
  })

  it('paused accounts and settings read once stay true to the DB after changes and rollbacks', () => {
    expect(store.pausedAccounts()).toEqual([])
    store.pauseAccount('a', { code: 'AUTH', message: 'bad key' } as never)
    expect(store.pausedAccounts().map((p) => p.accountId)).toEqual(['a'])
    store.resumeAccount('a')
    expect(store.pausedAccounts()).toEqual([])
    expect(store.pausedByUser()).toBe(false)
    store.setPausedByUser(true)
    expect(store.pausedByUser()).toBe(true)
    expect(() =>
      store.transaction(() => {
        store.pauseAccount('b', { code: 'AUTH', message: 'bad key' } as never)
        store.setPausedByUser(false)
        throw new Error('rolled back')
      }),
    ).toThrow('rolled back')
    expect(store.pausedAccounts()).toEqual([])
    expect(store.pausedByUser()).toBe(true)
  })
})
