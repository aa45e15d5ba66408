import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobPages, PAGE_STATEMENTS_KEPT } from '../../main/core/queue/job-pages'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase, type QueueDatabase } from '../../main/core/queue/queue-db'
import { createUploadQueue, type UploadQueue } from '../../main/core/queue/upload-queue'
import type { S3Connection } from '../../main/core/storage/s3-client'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import type { Account } from '../../preload/contract/models'
import { encodePageCursor } from '../../preload/contract/queue-page'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { testJob } from '../support/job-fixtures'

const account = { id: 'a', name: 'rgw', provider: 'ceph-rgw', endpoint: 'https://rgw.invalid' } as Account
const kms = {
  code: 'KMS_KEY_NOT_FOUND',
  message: 'KMS key "nokey-9" does not exist on this server.',
} as const
const DAY = 24 * 60 * 60 * 1000

let db: QueueDatabase
let store: JobStore
let queue: UploadQueue
let removedEvents: number[][]
let now: number

/** A queue on the test's store whose uploads never run: these tests set the jobs' states themselves. */
const queueOn = (options: { pruneEveryMs?: number } = {}) =>
  createUploadQueue({
    store,
    client: async () => ({ account, ...({} as S3Connection) }),
    customerKey: async () => '',
    bucketDefault: async () => undefined,
    events: { removed: (ids) => removedEvents.push(ids) },
    now: () => now,
    transfer: () => new Promise(() => {}),
    ...options,
  })

beforeEach(() => {
  db = openQueueDatabase(':memory:')
  store = createJobStore(db, { groupCommitMs: 1 })
  removedEvents = []
  now = Date.parse('2026-11-30T12:00:00Z')
  queue = queueOn()
})
afterEach(async () => {
  await queue.stop()
  db.close()
})

const add = (n: number, overrides: Partial<ReturnType<typeof testJob>> = {}) =>
  store.insertMany(Array.from({ length: n }, (_, i) => ({ ...testJob(i), ...overrides }))).map((j) => j.id)
const done = (id: number) => store.markDone(store.claim(id)!, { sha256: 'ab', size: 1000, mtimeMs: 1 })
const fail = (id: number, error: { code: string; message: string } = kms) =>
  store.finish(id, { state: 'failed', error: error as never })
const ids = (jobs: { id: number }[]) => jobs.map((j) => j.id)

describe('queue:page: newest first, filtered, with an opaque cursor', () => {
  it('pages through every job exactly once, newest first, with the counts of the whole queue', () => {
    const all = add(250)
    for (const id of all.slice(0, 100)) done(id)
    const seen: number[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = queue.page({ limit: 100, ...(cursor ? { cursor } : {}) })
      expect(page.counts).toEqual({ queued: 150, running: 0, paused: 0, done: 100, failed: 0, cancelled: 0 })
      seen.push(...ids(page.jobs))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual([...all].reverse())
  })

  it('filters by state, account and watched folder; a last page has no cursor', () => {
    const mine = add(3, { accountId: 'a' })
    const theirs = add(2, { accountId: 'other', syncPairId: 'pair-1', origin: 'sync' })
    done(mine[0]!)
    fail(theirs[0]!)
    expect(ids(queue.page({ states: ['done', 'failed'] }).jobs)).toEqual([theirs[0], mine[0]])
    expect(ids(queue.page({ accountId: 'other' }).jobs)).toEqual([...theirs].reverse())
    expect(ids(queue.page({ syncPairId: 'pair-1', states: ['queued'] }).jobs)).toEqual([theirs[1]])
    expect(queue.page({ accountId: 'nobody' })).toMatchObject({ jobs: [] })
    expect(queue.page({ accountId: 'nobody' }).nextCursor).toBeUndefined()
  })

  it('counts are those of the account or watched folder asked for (a state filter does not narrow them)', async () => {
    const mine = add(3, { accountId: 'a' })
    const theirs = add(4, { accountId: 'other', syncPairId: 'pair-1', origin: 'sync' })
    const [loose] = add(1, { accountId: 'other' })
    done(mine[0]!)
    fail(theirs[0]!)
    done(theirs[1]!)
    const none = { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 }
    expect(queue.page({ accountId: 'a' }).counts).toEqual({ ...none, queued: 2, done: 1 })
    expect(queue.page({ accountId: 'other', states: ['failed'] }).counts).toEqual({
      ...none,
      queued: 3,
      done: 1,
      failed: 1,
    })
    expect(queue.page({ syncPairId: 'pair-1' }).counts).toEqual({ ...none, queued: 2, done: 1, failed: 1 })
    expect(queue.page({ accountId: 'a', syncPairId: 'pair-1' }).counts).toEqual(none)
    // Without a filter: the whole queue.
    expect(queue.page({}).counts).toEqual({ ...none, queued: 5, done: 2, failed: 1 })
    expect(loose).toBeDefined()
    // The same through the contract's queue:counts, and a bad filter refused.
    const dispatch = createDispatch(createHandlers(handlerDepsStub({ queue })))
    expect(await dispatch('queue:counts', [{ syncPairId: 'pair-1' }])).toEqual({
      ok: true,
      value: { ...none, queued: 2, done: 1, failed: 1 },
    })
    expect(await dispatch('queue:counts', [])).toMatchObject({ ok: true, value: { queued: 5 } })
    expect(await dispatch('queue:counts', [{ accountId: '' }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(await dispatch('queue:counts', [{ accountId: 7 }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
  })

  it('withoutProblems leaves out what problem groups show: failed, held and retrying jobs', () => {
    const [failed, held, retrying, plain, running, cancelled] = add(6)
    const set = (id: number, state: string, error?: string) =>
      db
        .prepare('UPDATE jobs SET state = ?, error_code = ?, error_message = ? WHERE id = ?')
        .run(state, error ? 'NETWORK' : null, error ?? null, id)
    set(failed!, 'failed', 'gone')
    set(held!, 'paused', 'batch held')
    set(retrying!, 'queued', 'reset')
    set(running!, 'running')
    set(cancelled!, 'cancelled', 'an old error')
    const [ofHeldAccount] = add(1, { accountId: 'b' })
    store.pauseAccount('b', { code: 'BAD_CREDENTIALS', message: 'wrong secret' })
    expect(ids(queue.page({ withoutProblems: true }).jobs)).toEqual([cancelled, running, plain])
    // Each of the others is in a problem group instead.
    const grouped = queue.problemGroups().groups.flatMap((g) => g.examples.map((e) => e.id))
    expect(grouped.sort()).toEqual([failed, held, retrying, ofHeldAccount].sort())
  })

  it('a page of 100 among 100,000 jobs is an indexed query (no table scan)', () => {
    // 100,000 rows in one statement (insertMany would take seconds on a busy machine: not what is measured).
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO jobs (account_id, bucket, object_key, source_path, size, mtime_ms, encryption, state, origin,
          error_code, error_message, created_at, updated_at)
        SELECT 'a', 'b', 'k' || i, '/tmp/f' || i, 1, 1, '{}',
            CASE WHEN i % 1000 = 0 THEN 'failed' WHEN i % 10 = 0 THEN 'queued' ELSE 'done' END, 'manual',
            CASE WHEN i % 1000 = 0 THEN 'NETWORK' END, CASE WHEN i % 1000 = 0 THEN 'x' END,
            '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z'
        FROM n`)
    for (const request of [
      {},
      { withoutProblems: true },
      { states: ['failed' as const] },
      { accountId: 'a', states: ['queued' as const, 'done' as const] },
      { syncPairId: 'p' },
    ]) {
      const plan = store.pages.plan(request).join('\n')
      expect(plan).toMatch(/SEARCH jobs USING INDEX/)
      expect(plan).not.toMatch(/SCAN jobs/)
      // The plan is the check; how fast it answers is bench:transfers' figure (a timed test failed under load).
      const page = queue.page({ ...request, limit: 100, cursor: encodePageCursor(50_000) })
      expect(page.jobs.every((j) => j.id < 50_000)).toBe(true)
    }
    expect(queue.page({ states: ['failed'], limit: 500 }).jobs).toHaveLength(100)
  }, 30_000)

  it('a page of long jobs ends before 192 KiB of JSON and goes on where it ended (a frame never passes 256 KiB)', () => {
    const long = 'x'.repeat(3000)
    const all = add(500, { sourcePath: `/home/${long}`, key: `k/${long.slice(0, 900)}` })
    const first = queue.page({ limit: 500 })
    const size = Buffer.byteLength(JSON.stringify(first))
    expect(first.jobs.length).toBeLessThan(500)
    expect(size).toBeLessThan(200 * 1024)
    const rest = queue.page({ limit: 500, cursor: first.nextCursor })
    expect(ids(rest.jobs)[0]).toBe(first.jobs.at(-1)!.id - 1)
    let seen = first.jobs.length + rest.jobs.length
    let cursor = rest.nextCursor
    while (cursor) {
      const page = queue.page({ limit: 500, cursor })
      seen += page.jobs.length
      cursor = page.nextCursor
    }
    expect(seen).toBe(all.length)
  })

  it('at most 50 causes are sent (biggest first); the others are counted', () => {
    const jobs = add(60)
    for (const [i, id] of jobs.entries())
      fail(id, { code: 'NO_SUCH_BUCKET', message: `The bucket "gone-${i}" does not exist.` })
    fail(jobs[0]!, kms)
    fail(jobs[1]!, kms)
    const { groups, more } = queue.problemGroups()
    expect(groups).toHaveLength(50)
    expect(groups[0]).toMatchObject({ count: 2, error: kms })
    expect(more).toEqual({ groups: 9, jobs: 9 })
  })

  it('pages of thousands of different shapes keep a bounded number of statements prepared, and stay right', () => {
    const all = add(40)
    // Each prepared statement holds SQLite memory: count those prepared and not yet let go.
    const prepared: string[] = []
    const counting = new Proxy(db, {
      get: (target, name) =>
        name === 'prepare'
          ? (sql: string) => {
              prepared.push(sql)
              return target.prepare(sql)
            }
          : Reflect.get(target, name, target),
    })
    const pages = createJobPages(counting)
    prepared.length = 0 // the count statements, prepared once
    for (let limit = 1; limit <= 500; limit++) {
      const page = pages.page({ limit, states: limit % 2 ? ['queued'] : ['queued', 'failed'] })
      expect(ids(page.jobs)).toEqual(all.slice().reverse().slice(0, limit))
    }
    expect(prepared).toHaveLength(500)
    // The most recent shapes are still prepared; the first was let go and is prepared again.
    pages.page({ limit: 500, states: ['queued', 'failed'] })
    expect(prepared).toHaveLength(500)
    pages.page({ limit: 1, states: ['queued'] })
    expect(prepared).toHaveLength(501)
    expect(PAGE_STATEMENTS_KEPT).toBeLessThanOrEqual(64)
  })

  it('causes with long keys and messages are sent within 192 KiB of JSON (a frame never passes 256 KiB); the others are counted', () => {
    const long = 'P'.repeat(700)
    for (let cause = 0; cause < 50; cause++) {
      const jobs = add(5, { bucket: `gone-${cause}`, key: `${long}/${'n'.repeat(250)}` })
      for (const id of jobs)
        fail(id, { code: 'NO_SUCH_BUCKET', message: `The bucket "gone-${cause}-${long}" does not exist.` })
    }
    const answer = queue.problemGroups()
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(200 * 1024)
    expect(answer.groups.length).toBeGreaterThan(10)
    expect(answer.more.groups).toBe(50 - answer.groups.length)
    expect(answer.more.jobs + answer.groups.reduce((n, g) => n + g.count, 0)).toBe(250)
  })

  it('bad input gets a clear error through the contract: page size 0 or 10,000, a garbage cursor, an unknown state', async () => {
    const dispatch = createDispatch(createHandlers(handlerDepsStub({ queue })))
    const refused = async (request: unknown) => {
      const answer = await dispatch('queue:page', [request])
      expect(answer.ok).toBe(false)
      return (answer as { error: { code: string; message: string } }).error
    }
    expect(await refused({ limit: 0 })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/at least 1 job/),
    })
    expect(await refused({ limit: 10_000 })).toMatchObject({
      message: expect.stringMatching(/at most 500 jobs/),
    })
    expect(await refused({ cursor: 'garbage' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/not a page cursor of the queue: ask for the first page again/),
    })
    expect(await refused({ cursor: 'q1.ZZZ!' })).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(await refused({ states: ['exploded'] })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/states\.0.*(queued|expected one of)/),
    })
    expect(await dispatch('queue:group-action', [{ groupId: 'not-a-group', action: 'retry' }])).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not a problem of the queue/) },
      },
    )
    expect(await dispatch('queue:set-keep-done-days', [0])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    // Nothing was lost or changed by the refusals.
    expect(await dispatch('queue:page', [{ limit: 500 }])).toMatchObject({ ok: true, value: { jobs: [] } })
  })
})

describe('problem groups: one decision in the core, one row per cause', () => {
  it('a failed batch (1 failed, 47 held) is one group of 48 with examples; other causes are their own groups', () => {
    const batch = add(48)
    fail(batch[0]!)
    store.holdBatch(batch[0]!, kms as never, true)
    const [other] = add(1)
    fail(other!, { code: 'NO_SUCH_BUCKET', message: 'The bucket "gone" does not exist.' })
    const groups = queue.problemGroups().groups
    expect(groups.map((g) => [g.count, g.failed, g.held, g.heldPaused, g.error.code])).toEqual([
      [48, 1, 47, 47, 'KMS_KEY_NOT_FOUND'],
      [1, 1, 0, 0, 'NO_SUCH_BUCKET'],
    ])
    expect(groups[0]).toMatchObject({ bytes: 48, error: kms })
    expect(groups[0]!.examples.map((e) => e.id)).toEqual(batch.slice(0, 5))
    // Only some jobs (an `obs-sync upload`'s own).
    expect(queue.problemGroups([other!]).groups.map((g) => g.count)).toEqual([1])
  })

  it('errors that name their file are one cause: the file taken out of the message, the files as examples', async () => {
    const jobs = add(300)
    // As run-job reports them: the job's own source path in the sentence (source-file.ts, upload-file.ts).
    for (const id of jobs.slice(0, 200)) {
      const { sourcePath } = store.get(id)!
      fail(id, { code: 'SOURCE_GONE', message: `"${sourcePath}" no longer exists.` })
    }
    for (const id of jobs.slice(200, 250)) {
      const { sourcePath } = store.get(id)!
      const error = {
        code: 'SOURCE_UNREADABLE',
        message: `"${sourcePath}" cannot be read: permission denied.`,
      }
      store.requeue(id, { error: error as never, retryAt: 1, changedRetries: 0 })
    }
    // Bare paths too; a different reason stays its own cause.
    for (const id of jobs.slice(250, 260))
      fail(id, { code: 'SOURCE_GONE', message: `The local file ${store.get(id)!.sourcePath} vanished.` })
    fail(jobs[260]!, { code: 'SOURCE_UNREADABLE', message: '"/elsewhere/x" is a folder.' })
    const groups = queue.problemGroups().groups
    expect(groups.map((g) => [g.count, g.error.code, g.error.message])).toEqual([
      [200, 'SOURCE_GONE', 'The file no longer exists.'],
      [50, 'SOURCE_UNREADABLE', 'The file cannot be read: permission denied.'],
      [10, 'SOURCE_GONE', 'The local file the file vanished.'],
      [1, 'SOURCE_UNREADABLE', '"/elsewhere/x" is a folder.'],
    ])
    expect(groups[0]!.examples.map((e) => e.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4'])
    // The group's actions reach all of its jobs.
    await queue.groupAction({ groupId: groups[0]!.id, action: 'retry' })
    expect(jobs.slice(0, 200).every((id) => store.get(id)?.state === 'queued')).toBe(true)
  })

  it('jobs of a held account are held with the account reason; retrying jobs are their own kind', () => {
    const [a1, a2] = add(2, { accountId: 'held' })
    store.pauseAccount('held', { code: 'TLS_FAILURE', message: 'certificate made out to another name' })
    const [r] = add(1)
    store.requeue(r!, { error: { code: 'NETWORK', message: 'reset' }, retryAt: 1, changedRetries: 0 })
    const groups = queue.problemGroups().groups
    expect(
      groups.map((g) => [g.accountId, g.count, g.held, g.heldPaused, g.retrying, g.error.message]),
    ).toEqual([
      ['held', 2, 2, 0, 0, 'certificate made out to another name'],
      ['a', 1, 0, 0, 1, 'reset'],
    ])
    expect(groups[0]!.examples.map((e) => e.id)).toEqual([a1, a2])
  })

  it("retry on a held account's group lifts the hold, also when its jobs never ran (as resume does)", async () => {
    const waiting = add(3, { accountId: 'held' })
    store.pauseAccount('held', { code: 'BAD_CREDENTIALS', message: 'The secret key is wrong.' })
    const [group] = queue.problemGroups().groups
    expect(group).toMatchObject({ accountId: 'held', count: 3, held: 3 })
    await queue.groupAction({ groupId: group!.id, action: 'retry' })
    expect(store.pausedAccounts()).toEqual([])
    expect(queue.problemGroups().groups).toEqual([])
    expect(waiting.map((id) => store.get(id)?.state)).toEqual(Array(3).fill('queued'))
  })

  it('retry, cancel and clear act on the whole group by its id, as the group is now', async () => {
    const batch = add(10)
    fail(batch[0]!)
    store.holdBatch(batch[0]!, kms as never, true)
    const [group] = queue.problemGroups().groups
    await queue.groupAction({ groupId: group!.id, action: 'cancel' })
    expect(new Set(batch.map((id) => store.get(id)?.state))).toEqual(new Set(['cancelled']))
    expect(queue.problemGroups().groups).toEqual([])

    const second = add(5)
    for (const id of second) fail(id)
    const [failedGroup] = queue.problemGroups().groups
    await queue.groupAction({ groupId: failedGroup!.id, action: 'retry' })
    expect(second.map((id) => store.get(id)?.state)).toEqual(Array(5).fill('queued'))
    for (const id of second) fail(id)
    await queue.groupAction({ groupId: failedGroup!.id, action: 'clear' })
    expect(second.map((id) => store.get(id))).toEqual(Array(5).fill(undefined))
    expect(removedEvents.flat()).toEqual(second)
  })

  it('"Clear failed" removes failed jobs and the rest of their batches, held with them; "Cancel all" cancels failed ones too', async () => {
    const [f1, f2, q] = add(3)
    fail(f1!)
    fail(f2!)
    // A batch of 30 (one bucket): 1 failed, 29 held with its reason, shown as "30 uploads failed".
    const batch = add(30, { bucket: 'kms-bucket' })
    fail(batch[0]!)
    store.holdBatch(batch[0]!, kms as never, true)
    const userPaused = add(1)[0]!
    store.pause(userPaused)
    expect((await queue.clearFailed()).sort((a, b) => a - b)).toEqual([f1, f2, ...batch])
    expect(batch.map((id) => store.get(id))).toEqual(Array(30).fill(undefined))
    expect(queue.problemGroups().groups).toEqual([])
    expect(store.get(q!)?.state).toBe('queued')
    expect(store.get(userPaused)?.state).toBe('paused')
    const [f3] = add(1)
    fail(f3!)
    await queue.cancel('all')
    expect(store.get(f3!)?.state).toBe('cancelled')
    expect(store.get(q!)?.state).toBe('cancelled')
  })
})

describe('done jobs leave the queue for a per-day history', () => {
  const age = (id: number, iso: string) =>
    db.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?').run(iso, id)

  it('prunes done jobs older than the kept age (7 days by default) into counts and bytes per day', () => {
    const jobs = add(6)
    for (const id of jobs) done(id)
    age(jobs[0]!, '2026-11-01T10:00:00.000Z')
    age(jobs[1]!, '2026-11-01T23:00:00.000Z')
    age(jobs[2]!, '2026-11-20T08:00:00.000Z')
    age(jobs[3]!, '2026-11-29T08:00:00.000Z') // 1 day old: kept
    const [failed] = add(1)
    fail(failed!)
    age(failed!, '2026-01-01T00:00:00.000Z') // failed jobs are not uploads: never pruned
    queue.start()
    expect(queue.history()).toEqual({
      total: { uploads: 3, bytes: 3000 },
      days: [
        { day: '2026-11-20', uploads: 1, bytes: 1000 },
        { day: '2026-11-01', uploads: 2, bytes: 2000 },
      ],
      keepDoneDays: 7,
    })
    expect(removedEvents.flat()).toEqual(jobs.slice(0, 3))
    expect(store.get(jobs[3]!)?.state).toBe('done')
    expect(store.get(failed!)?.state).toBe('failed')
    // A shorter age prunes at once; the setting is kept in the queue DB.
    expect(queue.setKeepDoneDays(1).total.uploads).toBe(4)
    expect(createJobStore(db).history.keepDoneDays()).toBe(1)
  })

  it('"Clear finished" moves done jobs to the history and removes cancelled ones; removal events stay small', () => {
    const jobs = add(20_000)
    db.prepare("UPDATE jobs SET state = 'done', size = 10, updated_at = '2026-11-30T01:00:00.000Z'").run()
    db.prepare(`UPDATE jobs SET state = 'cancelled' WHERE id = ${jobs[0]}`).run()
    const cleared = queue.clearFinished()
    expect(cleared).toHaveLength(20_000)
    expect(queue.counts()).toMatchObject({ done: 0, cancelled: 0 })
    expect(queue.history().total).toEqual({ uploads: 19_999, bytes: 199_990 })
    // In events of at most 8,000 ids (~60 KiB each), never one of 20,000.
    expect(Math.max(...removedEvents.map((e) => e.length))).toBeLessThanOrEqual(8000)
    expect(removedEvents.flat().sort((a, b) => a - b)).toEqual(jobs)
  })

  it('the prune runs again on its own (hourly by default)', async () => {
    await queue.stop()
    queue = queueOn({ pruneEveryMs: 20 })
    queue.start()
    const [id] = add(1)
    done(id!)
    now += 8 * DAY
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(store.get(id!)).toBeUndefined()
    expect(queue.history().total.uploads).toBe(1)
  })
})
