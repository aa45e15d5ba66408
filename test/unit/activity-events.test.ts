import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEventBus } from '../../main/core/events/event-bus'
import type { StoredJob } from '../../main/core/queue/job-store'
import { createActivityLog } from '../../main/core/sync/activity-log'
import type { EventMap } from '../../main/services'
import { events } from '../../preload/contract/events'
import {
  ACTIVITY_EVENT_MAX_BYTES,
  ACTIVITY_EVENT_MAX_LINES,
  ACTIVITY_EVENT_WINDOW_MS,
  ACTIVITY_RECENT_MAX_BYTES,
  type Activity,
} from '../../preload/contract/sync-models'
import { injectedJob, injectedQueue } from '../support/injected-queue'

/**
 * Activity lines reach the windows and the CLI as the shells send them: one contract event = one WebSocket or IPC
 * frame (web-server.ts and ipc-binding.ts forward every bus event as one frame). One line per finished upload was
 * one frame each: 2,000 small files were 2,000 frames.
 */
describe('activity events, gathered', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
    vi.useRealTimers()
  })

  it('the recent lines of 500 uploads with long keys are answered within ACTIVITY_RECENT_MAX_BYTES, newest first', () => {
    const activity = createActivityLog(() => {})
    const key = `k/${'x'.repeat(950)}`
    for (let id = 1; id <= 500; id++)
      activity.uploadFinished({ id, bucket: 'b', key: `${key}-${id}`, syncPairId: undefined }, 'done')
    const recent = activity.recent()
    expect(Buffer.byteLength(JSON.stringify(recent))).toBeLessThanOrEqual(ACTIVITY_RECENT_MAX_BYTES)
    expect(recent.length).toBeGreaterThan(50)
    expect(recent.map((line) => line.jobId)).toEqual(Array.from({ length: recent.length }, (_, i) => 500 - i))
    // Short lines: all 500 (the log's capacity) fit.
    const short = createActivityLog(() => {})
    for (let id = 1; id <= 600; id++) short.add('info', `line ${id}`)
    expect(short.recent()).toHaveLength(500)
  })

  it('600 finished uploads are a few frames; a wait for them ends with every line sent, in order', async () => {
    const bus = createEventBus<EventMap>()
    const frames: Activity[][] = []
    bus.on('activity', (lines) => frames.push(lines))
    // Wired as services.ts wires them: the queue's finished jobs make lines, and a wait ends after they are sent.
    const activity = createActivityLog((lines) => bus.emit('activity', lines))
    const finishedOrder: number[] = []
    const queue = await injectedQueue({
      concurrency: 16,
      beforeWaitEnds: () => activity.flush(),
      transfer: async (job: StoredJob) => {
        // Each upload ends on its own turn of the event loop, as real ones do.
        await new Promise((resolve) => setImmediate(resolve))
        return { sha256: 'x', size: job.size, mtimeMs: 1, skipped: false }
      },
    })
    stop = () => queue.stop()
    queue.onFinished((job, outcome) => {
      finishedOrder.push(job.id)
      activity.uploadFinished(job, outcome)
    })

    const ids = await queue.add(Array.from({ length: 600 }, (_, i) => injectedJob(i)))
    const ended = await queue.waitFor(ids)
    // Read at once, as the CLI does when its wait ends: nothing may still be on its way.
    const sent = frames.flat()
    expect(ended.every((j) => j.state === 'done')).toBe(true)
    expect(sent).toHaveLength(600)
    expect(sent.map((line) => line.jobId)).toEqual(finishedOrder)
    expect(new Set(sent.map((line) => line.jobId))).toEqual(new Set(ids))
    expect(sent.every((line) => line.line?.kind === 'uploaded')).toBe(true)
    expect(frames.length).toBeLessThanOrEqual(60)
    for (const frame of frames) expect(() => events.activity.parse(frame)).not.toThrow()
  })

  it('lines of one window go out together after ACTIVITY_EVENT_WINDOW_MS; none are merged or sent twice', () => {
    vi.useFakeTimers()
    const frames: Activity[][] = []
    const activity = createActivityLog((lines) => frames.push(lines))
    activity.add('info', 'one')
    activity.add('info', 'one')
    activity.add('warning', 'two')
    expect(frames).toEqual([])
    vi.advanceTimersByTime(ACTIVITY_EVENT_WINDOW_MS)
    expect(frames.map((lines) => lines.map((l) => l.message))).toEqual([['one', 'one', 'two']])
    vi.advanceTimersByTime(10 * ACTIVITY_EVENT_WINDOW_MS)
    activity.flush()
    expect(frames).toHaveLength(1)
  })

  it('asking for the recent lines sends the waiting ones first, so a window never gets a line twice', () => {
    const frames: Activity[][] = []
    const activity = createActivityLog((lines) => frames.push(lines))
    activity.add('info', 'first')
    const answer = activity.recent()
    expect(frames.map((lines) => lines.map((l) => l.message))).toEqual([['first']])
    expect(answer.map((l) => l.message)).toEqual(['first'])
    activity.flush()
    expect(frames).toHaveLength(1)
  })

  it('2,000 long failure lines at once stay within the frame budget, all of them, in order', () => {
    const frames: Activity[][] = []
    const activity = createActivityLog((lines) => frames.push(lines), 5000)
    const key = (i: number) => `${'deep/folder/'.repeat(40)}file-${i}.bin`
    for (let i = 0; i < 2000; i++)
      activity.uploadFinished(
        {
          id: i,
          bucket: 'b',
          key: key(i),
          syncPairId: 'pair',
          error: { code: 'KMS_KEY_NOT_FOUND', message: `KMS key "nokey-${'9'.repeat(200)}" does not exist.` },
        },
        'failed',
      )
    activity.flush()
    for (const frame of frames) {
      expect(frame.length).toBeLessThanOrEqual(ACTIVITY_EVENT_MAX_LINES)
      expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThanOrEqual(ACTIVITY_EVENT_MAX_BYTES)
    }
    expect(frames.length).toBeLessThan(100)
    expect(frames.flat().map((l) => l.jobId)).toEqual(Array.from({ length: 2000 }, (_, i) => i))
  })
})
