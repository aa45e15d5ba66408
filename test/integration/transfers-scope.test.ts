import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { createJobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import type { Job } from '../../preload/contract/queue-models'
import type { ProblemGroups, QueuePage } from '../../preload/contract/queue-page'
import { type HeadlessApp, startHeadlessApp } from '../support/headless-app'
import { testJob } from '../support/job-fixtures'
import { FOLDER_STATES, fillFolder } from '../support/queue-fill'
import { contractSocket } from '../support/web-client'

const TOKEN = 'scope-test-token-'.padEnd(40, 'x')
const FOLDERS = ['pair-a', 'pair-b'] as const

/**
 * A Transfers view narrowed to one watched folder ("Only ~/Photos: ...") acts on what it shows, through the built
 * web UI's WebSocket (the contract every shell uses): its bulk buttons, clears and problem group leave the other
 * folder's jobs (same account, same failure cause) and another account's jobs exactly as they were.
 */
describe('a narrowed Transfers view acts on its own jobs only (built serve, WebSocket)', () => {
  let dir: string
  let app: HeadlessApp
  let ws: WebSocket
  let ask: Awaited<ReturnType<typeof contractSocket>>['ask']
  const jobsOf = async (scope: { syncPairId?: string; accountId?: string }) =>
    (await ask<QueuePage>('queue:page', { ...scope, limit: 500 })).jobs
  const shape = (jobs: Job[]) => jobs.map((j) => ({ id: j.id, state: j.state, error: j.error?.code }))

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-scope-'))
    // Real jobs through the job store (the documented fast path of queue-fill.ts): per folder 2 done, 1 cancelled,
    // 2 failed by one unknown KMS key, 1 paused, 2 queued; and 2 queued of another account. The whole queue is
    // paused, so nothing runs.
    const store = createJobStore(openQueueDatabase(join(dir, 'queue.db')))
    const lab = (i: number) => ({ ...testJob(i), accountId: 'lab' })
    for (const [n, syncPairId] of FOLDERS.entries()) fillFolder(store, syncPairId, lab, n * 8 + 1)
    store.insertMany([testJob(17), testJob(18)].map((job) => ({ ...job, accountId: 'home' })))
    store.setPausedByUser(true)
    store.close()
    app = await startHeadlessApp(dir, { OBS_SYNC_WEB_TOKEN: TOKEN })
    ;({ ws, ask } = await contractSocket(app.url, TOKEN))
  }, 60_000)
  afterAll(async () => {
    ws?.close()
    await app?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('pause, the problem group, cancel, clear failed and clear finished of folder A leave folder B and account "home" as they were', async () => {
    const folderB = shape(await jobsOf({ syncPairId: 'pair-b' }))
    const home = shape(await jobsOf({ accountId: 'home' }))
    expect(folderB.map((j) => j.state)).toEqual([...FOLDER_STATES].reverse())
    const whole = await ask<ProblemGroups>('queue:problem-groups', {})
    expect(whole.groups.map((g) => g.count)).toEqual([4])
    // Narrowed to folder A: its count, its jobs.
    const scope = { syncPairId: 'pair-a' }
    const mine = await ask<ProblemGroups>('queue:problem-groups', scope)
    expect(mine.groups.map((g) => g.count)).toEqual([2])
    await ask('queue:pause', scope)
    expect((await jobsOf(scope)).filter((j) => j.state === 'queued')).toEqual([])
    await ask('queue:group-action', { groupId: mine.groups[0]!.id, action: 'retry', ...scope })
    expect((await jobsOf(scope)).filter((j) => j.state === 'failed')).toEqual([])
    await ask('queue:cancel', scope)
    await ask('queue:clear-failed', scope)
    await ask('queue:clear-finished', scope)
    expect(await jobsOf(scope)).toEqual([])
    // Folder B (same account, same cause) and the other account: not one job touched.
    expect(shape(await jobsOf({ syncPairId: 'pair-b' }))).toEqual(folderB)
    expect(shape(await jobsOf({ accountId: 'home' }))).toEqual(home)
    expect((await ask<ProblemGroups>('queue:problem-groups', {})).groups.map((g) => g.count)).toEqual([2])
    // The history counts folder A's two uploads only, and "Uploaded earlier" narrowed says whose they are.
    const uploadsIn = async (scope?: { syncPairId?: string; accountId?: string }) =>
      (await ask<{ total: { uploads: number } }>('queue:history', ...(scope ? [scope] : []))).total.uploads
    expect(await uploadsIn()).toBe(2)
    expect(await uploadsIn({ syncPairId: 'pair-a' })).toBe(2)
    expect(await uploadsIn({ syncPairId: 'pair-b' })).toBe(0)
    expect(await uploadsIn({ accountId: 'lab' })).toBe(2)
    expect(await uploadsIn({ accountId: 'home' })).toBe(0)
  })
})
