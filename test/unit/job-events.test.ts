import { describe, expect, it, vi } from 'vitest'
import { createJobEvents } from '../../main/core/queue/job-events'
import type { Job } from '../../preload/contract/queue-models'
import { JOB_EVENT_MAX_BYTES, JOB_EVENT_WINDOW_MS } from '../../preload/contract/queue-page'

const job = (id: number, state: Job['state'] = 'queued', key = `k${id}`): Job => ({
  id,
  accountId: 'a',
  bucket: 'b',
  key,
  sourcePath: `/tmp/${key}`,
  size: 1,
  state,
  encryption: { choice: { mode: 'none' }, source: 'explicit' } as never,
  attempts: 0,
  bytesDone: 0,
  origin: 'manual',
  createdAt: '2026-11-30T00:00:00Z',
  updatedAt: '2026-11-30T00:00:00Z',
})

describe('job change events, coalesced', () => {
  it('sends the changes of one window together, each job once as it is last', () => {
    vi.useFakeTimers()
    try {
      const sent: Job[][] = []
      const events = createJobEvents((jobs) => sent.push(jobs))
      events.changed(job(1, 'queued'))
      events.changed(job(2, 'queued'))
      events.changed(job(1, 'running'))
      expect(sent).toEqual([])
      vi.advanceTimersByTime(JOB_EVENT_WINDOW_MS)
      expect(sent.map((jobs) => jobs.map((j) => [j.id, j.state]))).toEqual([
        [
          [2, 'queued'],
          [1, 'running'],
        ],
      ])
      vi.advanceTimersByTime(10 * JOB_EVENT_WINDOW_MS)
      expect(sent).toHaveLength(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('10,000 jobs queued at once are a few events, each under JOB_EVENT_MAX_BYTES of JSON, none left out', () => {
    const sent: Job[][] = []
    const events = createJobEvents((jobs) => sent.push(jobs))
    // Long names as well: ~1 KiB a job.
    for (let id = 1; id <= 10_000; id++) events.changed(job(id, 'queued', `${'folder/'.repeat(60)}${id}`))
    events.flush()
    const sizes = sent.map((jobs) => Buffer.byteLength(JSON.stringify(jobs)))
    expect(Math.max(...sizes)).toBeLessThanOrEqual(JOB_EVENT_MAX_BYTES)
    expect(sent.length).toBeLessThan(200)
    expect(sent.flat().map((j) => j.id)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1))
  })

  it('flush sends at once (before a removal, at stop); nothing is sent twice or when nothing changed', () => {
    const sent: Job[][] = []
    const events = createJobEvents((jobs) => sent.push(jobs))
    events.flush()
    expect(sent).toEqual([])
    events.changed(job(7, 'done'))
    events.flush()
    events.flush()
    expect(sent.map((jobs) => jobs.map((j) => j.id))).toEqual([[7]])
  })
})
