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

  it('a changed limit keeps the tokens saved so far: no fresh burst when raised, none when first set', async () => {
    // A clock that moves only as the limiter sleeps (and as the test says): how long each take waited.
    let now = 0
    const limiter = createBandwidthLimiter(
      0,
      () => now,
      async (ms) => {
        now += ms
      },
    )
    const waited = async (bytes: number) => {
      const from = now
      await limiter.take(bytes)
      return now - from
    }
    expect(await waited(1_000_000)).toBe(0)
    // Set while nothing was limited: it holds from the first byte (before: a full second of burst went at once).
    limiter.setLimit(1000)
    expect(await waited(500)).toBeCloseTo(500)
    // Half a second idle saves 500 bytes; raised to 8000 B/s, those carry over, not a fresh 8000 of burst.
    now += 500
    limiter.setLimit(8000)
    expect(await waited(2000)).toBeCloseTo(187.5)
    // Lowered: what was saved is capped at the new limit's second.
    now += 1000
    limiter.setLimit(100)
    expect(await waited(150)).toBeCloseTo(500)
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
