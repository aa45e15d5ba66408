import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import type { UploadQueue } from '../../main/core/queue/upload-queue'
import type { JobState } from '../../preload/contract/queue-models'
import { queueOn } from '../support/injected-queue'
import { testJob } from '../support/job-fixtures'
import { FOLDER_STATES, fillFolder } from '../support/queue-fill'

const FOLDERS = ['pair-a', 'pair-b'] as const

let dir: string
let store: JobStore
let queue: UploadQueue
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sync-scope-'))
  store = createJobStore(openQueueDatabase(join(dir, 'queue.db')))
  // Not started: nothing runs, so every state below is the one the user's actions left.
  queue = queueOn(store)
  // Each watched folder (same account 'a'): 2 done, 1 cancelled, 2 failed by one cause, 1 paused, 2 queued.
  for (const [n, syncPairId] of FOLDERS.entries()) fillFolder(store, syncPairId, testJob, n * 8 + 1)
})
afterEach(async () => {
  await queue.stop()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The states of one folder's jobs, oldest first (removed jobs are gone from the list). */
const statesOf = (syncPairId: string): JobState[] =>
  store
    .list()
    .filter((j) => j.syncPairId === syncPairId)
    .map((j) => j.state)
const B_BEFORE: JobState[] = [...FOLDER_STATES]
/** A folder's states once its paused job runs again. */
const RESUMED: JobState[] = B_BEFORE.map((state) => (state === 'paused' ? 'queued' : state))

describe('a narrowed view acts on exactly the jobs it shows (job-scope.ts)', () => {
  it('problem groups count the folder only, and a group action leaves the other folder of the same cause alone', async () => {
    expect(queue.problemGroups().groups.map((g) => g.count)).toEqual([4])
    const [group] = queue.problemGroups(undefined, { syncPairId: 'pair-a' }).groups
    expect(group).toMatchObject({ count: 2, failed: 2 })
    await queue.groupAction({ groupId: group!.id, action: 'clear', syncPairId: 'pair-a' })
    expect(statesOf('pair-a')).toEqual(['done', 'done', 'cancelled', 'paused', 'queued', 'queued'])
    expect(statesOf('pair-b')).toEqual(B_BEFORE)
    expect(queue.problemGroups().groups.map((g) => g.count)).toEqual([2])
  })

  it('pause, cancel, clear finished and clear failed of one folder leave the other folder as it was', async () => {
    await queue.pause({ syncPairId: 'pair-a' })
    expect(statesOf('pair-a')).toEqual(B_BEFORE.map((state) => (state === 'queued' ? 'paused' : state)))
    // A folder's pause holds what it has now; the whole queue is not paused.
    expect(store.pausedByUser()).toBe(false)
    await queue.clearFailed({ syncPairId: 'pair-a' })
    expect(statesOf('pair-a')).toEqual(['done', 'done', 'cancelled', 'paused', 'paused', 'paused'])
    await queue.cancel({ syncPairId: 'pair-a' })
    queue.clearFinished({ syncPairId: 'pair-a' })
    expect(statesOf('pair-a')).toEqual([])
    expect(statesOf('pair-b')).toEqual(B_BEFORE)
    expect(queue.history().total.uploads).toBe(2)
  })

  it('an account scope covers its folders only; resuming it after "pause all" keeps the rest paused', async () => {
    const other = store.insertMany([{ ...testJob(99), accountId: 'b' }])[0]!.id
    await queue.pause('all')
    await queue.resume({ accountId: 'a' })
    expect(store.pausedByUser()).toBe(false)
    expect(statesOf('pair-a')).toEqual(RESUMED)
    expect(store.get(other)?.state).toBe('paused')
    await queue.cancel({ accountId: 'b' })
    expect(store.get(other)?.state).toBe('cancelled')
    expect(statesOf('pair-b')).toEqual(RESUMED)
  })

  it("an account's hold is lifted by resuming the account, not one of its folders", async () => {
    store.pauseAccount('a', { code: 'BAD_CREDENTIALS', message: 'The secret key is wrong.' })
    await queue.resume({ syncPairId: 'pair-a' })
    expect(store.pausedAccounts().map((p) => p.accountId)).toEqual(['a'])
    await queue.resume({ accountId: 'a' })
    expect(store.pausedAccounts()).toEqual([])
  })
})
