import { afterEach, describe, expect, it, vi } from 'vitest'
import type { JobStore } from '../../main/core/queue/job-store'
import { createQueueStatus, SPEED_REFRESH_MS } from '../../main/core/queue/queue-status'
import type { StatusSummary } from '../../preload/contract/queue-models'

/**
 * The status summary (status bar, tray, `obs-sync status`) while one long upload runs and nothing else changes: its
 * speed and time left follow the upload. Before, they were sent only along with another change, so the status bar
 * kept the speed of the upload's first moment ("256 KB/s, about 38 sec left" under a row saying 1.1 MB/s).
 */
afterEach(() => {
  vi.useRealTimers()
})

describe('the status summary while an upload runs', () => {
  it('sends a changed speed at most every second, with nothing else changed; an unchanged one not at all', () => {
    vi.useFakeTimers()
    let now = 0
    let speed = { bytesPerSecond: 0, etaSeconds: undefined as number | undefined }
    const store = {
      counts: () => ({ queued: 0, running: 1, paused: 0, done: 0, failed: 0, cancelled: 0 }),
      pausedByUser: () => false,
      pausedAccounts: () => [],
      nextRetryAt: () => undefined,
      problems: { groups: () => ({ groups: [], more: { groups: 0, jobs: 0 } }) },
    } as unknown as JobStore
    const sent: StatusSummary[] = []
    const status = createQueueStatus({
      store,
      meter: { overall: () => speed },
      onStatus: (summary) => sent.push(summary),
      now: () => now,
    })
    const settle = () => vi.advanceTimersByTime(150)
    status.publish()
    settle()
    expect(sent.map((s) => [s.state, s.bytesPerSecond])).toEqual([['syncing', 0]])

    // The meter reports ten times a second; the speed changed.
    speed = { bytesPerSecond: 1_100_000, etaSeconds: 8 }
    for (let t = 100; t < SPEED_REFRESH_MS; t += 100) {
      now = t
      status.progressed()
      settle()
    }
    expect(sent).toHaveLength(1)
    now = SPEED_REFRESH_MS
    status.progressed()
    settle()
    expect(sent.map((s) => [s.bytesPerSecond, s.etaSeconds])).toEqual([
      [0, undefined],
      [1_100_000, 8],
    ])
    // The same speed a second later: nothing to send.
    now = 2 * SPEED_REFRESH_MS
    status.progressed()
    settle()
    expect(sent).toHaveLength(2)
    status.stop()
  })
})
