import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import type { JobCounts, ProblemGroups, QueuePage } from '../../preload/contract/queue-page'
import { type HeadlessApp, startHeadlessApp } from '../support/headless-app'
import { fillQueue, KMS_FAILURE } from '../support/queue-fill'
import { connect } from '../support/web-client'

const MAX_FRAME = 256 * 1024
const TOKEN = 'frames-test-token-'.padEnd(40, 'x')

/**
 * The contract over the web UI's real WebSocket with 100,000 jobs in the queue (issue 17: `queue:list` sent
 * them all as one 42 MB frame): every answer and every event frame stays under 256 KiB, also while 2,500
 * failed jobs are retried and cancelled as groups and 97,000 finished ones are cleared.
 */
describe('transfers at scale over the web UI WebSocket', () => {
  let dir: string
  let app: HeadlessApp
  let ws: WebSocket
  const frames: { size: number; kind: string; jobs?: number }[] = []
  const counts: JobCounts[] = []
  const pending = new Map<number, (result: { ok: boolean; value?: unknown; error?: unknown }) => void>()
  let nextId = 1

  const call = <T>(channel: string, ...args: unknown[]): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, (result) => (result.ok ? resolve(result.value as T) : reject(result.error)))
      ws.send(JSON.stringify({ type: 'request', id, channel, args }))
    })
  const until = async (check: () => boolean, what: string) => {
    const end = Date.now() + 60_000
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-frames-'))
    fillQueue(dir, { total: 100_000, kmsFailed: 2_000, bucketFailed: 500, queued: 500 })
    app = await startHeadlessApp(dir, { OBS_SYNC_WEB_TOKEN: TOKEN })
    ws = await connect(`${app.url.replace(/^http/, 'ws').replace(/\/?$/, '/')}ws`, {
      Authorization: `Bearer ${TOKEN}`,
    })
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString())
      frames.push({
        size: data.byteLength,
        kind: frame.type === 'event' ? frame.event : 'response',
        ...(frame.event === 'queue:jobs' ? { jobs: frame.payload.length } : {}),
      })
      if (frame.type === 'response') pending.get(frame.id)?.(frame.result)
      if (frame.type === 'event' && frame.event === 'queue:counts') counts.push(frame.payload)
    })
  }, 120_000)
  afterAll(async () => {
    ws?.close()
    await app?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('pages, groups and actions on 100,000 jobs: no frame over 256 KiB', async () => {
    const first = await call<QueuePage>('queue:page', { limit: 500 })
    // 500 asked for; the page ends earlier when its JSON reaches 192 KiB, and the cursor goes on from there.
    expect(first.jobs.length).toBeGreaterThan(400)
    expect(first.jobs.length).toBeLessThanOrEqual(500)
    expect(first.nextCursor).toBeDefined()
    expect(first.counts).toEqual({
      queued: 500,
      running: 0,
      paused: 0,
      done: 97_000,
      failed: 2_500,
      cancelled: 0,
    })
    const second = await call<QueuePage>('queue:page', { limit: 500, cursor: first.nextCursor })
    expect(second.jobs[0]!.id).toBeLessThan(first.jobs.at(-1)!.id)
    const { groups } = await call<ProblemGroups>('queue:problem-groups', {})
    expect(groups.map((g) => [g.count, g.error.code])).toEqual([
      [2_000, 'KMS_KEY_NOT_FOUND'],
      [500, 'NO_SUCH_BUCKET'],
    ])
    expect(groups[0]!.error.message).toBe(KMS_FAILURE.message)
    // The old channel that sent every job is gone.
    await expect(call('queue:list')).rejects.toMatchObject({ code: 'UNKNOWN_CHANNEL' })

    // Events while whole groups change: changed jobs and counts, never a list.
    await call('queue:group-action', { groupId: groups[0]!.id, action: 'retry' })
    await until(() => counts.at(-1)?.queued === 2_500, 'the retried group in the counts')
    await call('queue:group-action', { groupId: groups[1]!.id, action: 'cancel' })
    await until(() => counts.at(-1)?.cancelled === 500, 'the cancelled group in the counts')
    await call('queue:clear-finished')
    await until(() => counts.at(-1)?.done === 0 && counts.at(-1)?.cancelled === 0, 'the cleared jobs')
    const history = await call<{ total: { uploads: number } }>('queue:history')
    expect(history.total.uploads).toBe(97_000)

    const largest = Math.max(...frames.map((f) => f.size))
    const removed = frames.filter((f) => f.kind === 'queue:removed')
    expect(removed.reduce((n, f) => n + f.size, 0)).toBeGreaterThan(97_000 * 5) // every removed id was told
    // Every changed job is told (the 2,500 retried ones at least), coalesced: a few frames of many changes each, not
    // one frame a job (before: 2,500+ queue:job frames for the same actions).
    const jobFrames = frames.filter((f) => f.kind === 'queue:jobs')
    expect(jobFrames.reduce((n, f) => n + f.jobs!, 0)).toBeGreaterThanOrEqual(2_500)
    expect(jobFrames.length).toBeLessThan(100)
    expect(Math.max(...jobFrames.map((f) => f.size))).toBeLessThan(128 * 1024)
    expect(largest).toBeLessThan(MAX_FRAME)
    console.log(
      `frames: ${frames.length}, largest ${(largest / 1024).toFixed(1)} KiB, total ${(frames.reduce((n, f) => n + f.size, 0) / 1024).toFixed(0)} KiB; queue:jobs frames ${jobFrames.length} carrying ${jobFrames.reduce((n, f) => n + f.jobs!, 0)} job changes, largest ${(Math.max(...jobFrames.map((f) => f.size)) / 1024).toFixed(1)} KiB`,
    )
  }, 120_000)
})
