import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase, type QueueDatabase } from '../../main/core/queue/queue-db'
import { createUploadQueue, type UploadQueue } from '../../main/core/queue/upload-queue'
import type { S3Connection } from '../../main/core/storage/s3-client'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import type { Account } from '../../preload/contract/models'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { testJob } from '../support/job-fixtures'

const account = { id: 'a', name: 'rgw', provider: 'ceph-rgw', endpoint: 'https://rgw.invalid' } as Account
const kms = {
  code: 'KMS_KEY_NOT_FOUND',
  message: 'KMS key "nokey-9" does not exist on this server.',
} as const

let db: QueueDatabase
let store: JobStore
let queue: UploadQueue

beforeEach(() => {
  db = openQueueDatabase(':memory:')
  store = createJobStore(db, { groupCommitMs: 1 })
  // Its uploads never run: the test sets the jobs' states itself.
  queue = createUploadQueue({
    store,
    client: async () => ({ account, ...({} as S3Connection) }),
    customerKey: async () => '',
    bucketDefault: async () => undefined,
    events: {},
    transfer: () => new Promise(() => {}),
  })
})
afterEach(async () => {
  await queue.stop()
  db.close()
})

/**
 * `obs-sync upload` waits for its batch with queue:wait. It was answered with every job of the batch, and the CLI
 * then matched them to its ids one by one: for 100,000 files, a 40 MB answer and 3 s of quadratic matching after
 * the last upload. The answer is now how many are done, and only the others.
 */
describe('queue:wait answers how a batch ended, not every job of it', () => {
  it('20,000 jobs, 20 of them failed: the count of done ones and the 20 failures, in a small answer', async () => {
    const ids = store.insertMany(Array.from({ length: 20_000 }, (_, i) => testJob(i))).map((j) => j.id)
    store.transaction(() => {
      for (const [n, id] of ids.entries()) {
        if (n % 1000 === 7) store.finish(id, { state: 'failed', error: kms as never })
        else store.markDone(store.claim(id)!, { sha256: 'ab', size: 1000, mtimeMs: 1 })
      }
    })
    // One job of the batch was cleared since (it is in neither part), one job of another batch is not asked for.
    store.remove([ids[0]!])
    const other = store.insertMany([testJob(99_999)])[0]!.id
    store.finish(other, { state: 'failed', error: kms as never })

    const dispatch = createDispatch(createHandlers(handlerDepsStub({ queue })))
    const answer = await dispatch('queue:wait', [{ jobIds: ids, includePending: true }])
    expect(answer.ok).toBe(true)
    const { done, unfinished } = (answer as { value: { done: number; unfinished: { id: number }[] } }).value
    expect(done).toBe(20_000 - 20 - 1)
    expect(unfinished.map((j) => j.id)).toEqual(ids.filter((_, n) => n % 1000 === 7))
    expect(unfinished[0]).toMatchObject({ state: 'failed', error: kms })
    expect(JSON.stringify(answer).length).toBeLessThan(32 * 1024)
  })
})
