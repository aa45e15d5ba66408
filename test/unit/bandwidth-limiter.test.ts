import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createBandwidthLimiter } from '../../main/core/queue/bandwidth-limiter'

describe('the bandwidth limiter', () => {
  it('holds transfers to the limit and leaves no abort listener behind on the job signal', async () => {
    const limiter = createBandwidthLimiter(1_000_000)
    const controller = new AbortController()
    const started = performance.now()
    // 1 MB of burst, then 10 x 50 KB that each have to wait ~50 ms for their tokens.
    await limiter.take(1_000_000, controller.signal)
    for (let i = 0; i < 10; i++) await limiter.take(50_000, controller.signal)
    expect(performance.now() - started).toBeGreaterThanOrEqual(450)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('a waiting transfer stops at once with the reason of its abort', async () => {
    const limiter = createBandwidthLimiter(1000)
    const controller = new AbortController()
    await limiter.take(1000, controller.signal)
    const waiting = limiter.take(5000, controller.signal)
    const reason = new Error('paused by the user')
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
  })
})
