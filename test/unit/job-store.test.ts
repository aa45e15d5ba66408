import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
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

const committedState = (id: number) =>
  (other.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as { state: string } | undefined)?.state

describe('job store', () => {
  it('claims a queued job once: running, one more attempt, no retry time', () => {
    const [id] = store.addMany([job(1)]) as [number]
    store.setState(id, 'queued', { attempts: 2, retry_at: 5 })
    const claimed = store.claim(id)
    expect(claimed).toMatchObject({ id, state: 'running', attempts: 3, retryAt: undefined })
    expect(store.claim(id)).toBeUndefined()
    const [paused] = store.addMany([job(2)]) as [number]
    store.setState(paused, 'paused')
    expect(store.claim(paused)).toBeUndefined()
    expect(store.get(paused)?.state).toBe('paused')
  })

  it('insertMany returns the jobs exactly as stored', () => {
    const added = store.insertMany([job(1), { ...job(2), origin: 'sync', syncPairId: 'pair-1' }])
    expect(added.map((j) => j.id)).toEqual([1, 2])
    for (const j of added) expect(j).toEqual(store.get(j.id))
  })

  it('markDone returns the job exactly as stored, with what the last attempt left cleared', () => {
    const [id] = store.addMany([job(1)]) as [number]
    store.setState(id, 'queued', { error_code: 'NETWORK', error_message: 'offline' })
    const claimed = store.claim(id) as NonNullable<ReturnType<typeof store.claim>>
    store.patch(id, { upload_id: 'upload-1', part_size: 8, bytes_done: 8 })
    const done = store.markDone(claimed, { sha256: 'ab'.repeat(32), etag: '"e"', size: 2, mtimeMs: 3 })
    expect(done).toEqual(store.get(id))
    expect(done).toMatchObject({ state: 'done', sha256: 'ab'.repeat(32), bytesDone: 2, size: 2, mtimeMs: 3 })
    expect(done.error).toBeUndefined()
    expect(done.uploadId).toBeUndefined()
  })

  it('grouped writes are seen at once here and committed together within the group window', async () => {
    const [a, b] = store.addMany([job(1), job(2)]) as [number, number]
    store.grouped(() => store.claim(a))
    store.grouped(() => store.setState(a, 'done'))
    store.grouped(() => store.claim(b))
    expect(store.get(a)?.state).toBe('done')
    expect(store.runnable(Date.now())).toEqual([])
    // Not on disk yet: a crash now would find both jobs queued and run them again.
    expect([committedState(a), committedState(b)]).toEqual(['queued', 'queued'])
    await new Promise((resolve) => setTimeout(resolve, GROUP_MS * 3))
    expect([committedState(a), committedState(b)]).toEqual(['done', 'running'])
  })

  it('flush and close commit the open group at once', () => {
    const [a, b] = store.addMany([job(1), job(2)]) as [number, number]
    store.grouped(() => store.setState(a, 'done'))
    store.flush()
    expect(committedState(a)).toBe('done')
    store.grouped(() => store.setState(b, 'failed'))
    store.close()
    expect(committedState(b)).toBe('failed')
  })

  it('a grouped step that throws is undone alone; the rest of the group commits', async () => {
    const [a, b] = store.addMany([job(1), job(2)]) as [number, number]
    store.grouped(() => store.setState(a, 'done'))
    expect(() =>
      store.grouped(() => {
        store.setState(b, 'done')
        throw new Error('listener failed')
      }),
    ).toThrow('listener failed')
    expect(store.get(b)?.state).toBe('queued')
    store.flush()
    expect([committedState(a), committedState(b)]).toEqual(['done', 'queued'])
  })

  it('paused accounts and settings read once stay true to the DB after changes and rollbacks', () => {
    expect(store.pausedAccounts()).toEqual([])
    store.pauseAccount('a', { code: 'AUTH', message: 'bad key' } as never)
    expect(store.pausedAccounts().map((p) => p.accountId)).toEqual(['a'])
    store.resumeAccount('a')
    expect(store.pausedAccounts()).toEqual([])
    expect(store.getSetting('paused_all')).toBeUndefined()
    store.setSetting('paused_all', 'true')
    expect(store.getSetting('paused_all')).toBe('true')
    expect(() =>
      store.transaction(() => {
        store.pauseAccount('b', { code: 'AUTH', message: 'bad key' } as never)
        store.setSetting('paused_all', 'false')
        throw new Error('rolled back')
      }),
    ).toThrow('rolled back')
    expect(store.pausedAccounts()).toEqual([])
    expect(store.getSetting('paused_all')).toBe('true')
  })
})
