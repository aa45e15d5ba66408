import { afterEach, describe, expect, it } from 'vitest'
import { createBandwidthLimit } from '../../main/core/queue/bandwidth-limit'
import { createBandwidthLimiter } from '../../main/core/queue/bandwidth-limiter'
import type { JobContext } from '../../main/core/queue/run-job'
import type { UploadQueue } from '../../main/core/queue/upload-queue'
import type { ProgressEvent, StatusSummary } from '../../preload/contract/queue-models'
import { injectedJob, injectedQueue } from '../support/injected-queue'

/**
 * The speed a real queue shows (its status summary: status bar, tray, the CLI's progress line) under an upload
 * limit, with a transfer that sends as the real ones do: pieces through the queue's throttle, reported as they go.
 */
const KiB = 1024
const PIECE = 64 * KiB
const open: UploadQueue[] = []
afterEach(async () => {
  for (const queue of open.splice(0)) await queue.stop()
})

/** Sends `job.size` bytes in PIECE pieces through the throttle; a single PUT's way: 0 first, each piece once handed on. */
async function send(job: { size: number }, ctx: JobContext) {
  ctx.onProgress?.(0, job.size)
  for (let offset = 0; offset < job.size; ) {
    const piece = Math.min(PIECE, job.size - offset)
    await ctx.throttle?.(piece, ctx.signal)
    offset += piece
    ctx.onProgress?.(offset, job.size)
  }
  return { sha256: 'x', size: job.size, mtimeMs: 1, skipped: false }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the status summary`s speed through the real queue', () => {
  it('100 small uploads under a 256 KiB/s limit: the speed shown is near the limit', async () => {
    const statuses: StatusSummary[] = []
    const queue = await injectedQueue({
      bandwidth: 256 * KiB,
      transfer: send,
      events: { status: (s) => statuses.push(s) },
    })
    open.push(queue)
    const ids = await queue.add(
      Array.from({ length: 100 }, (_, i) => injectedJob(i, { keyId: 'k', size: 16 * KiB })),
    )
    await sleep(3000)
    // Before, each small upload was gone from the sum before its rate meant anything: ~16-64 KiB/s (on the real
    // PUT, which reported once, 0).
    const shown = statuses.at(-1)?.bytesPerSecond ?? 0
    expect(shown).toBeGreaterThan(0.5 * 256 * KiB)
    expect(shown).toBeLessThan(1.5 * 256 * KiB)
    expect(statuses.at(-1)?.etaSeconds).toBeGreaterThan(0)
    await queue.waitFor(ids)
  }, 20_000)

  it('a lowered limit shows in the speed within about a second, not after the old window has passed', async () => {
    const progress: ProgressEvent[] = []
    const queue = await injectedQueue({
      bandwidth: 2048 * KiB,
      transfer: send,
      events: { progress: (events) => progress.push(...events) },
    })
    open.push(queue)
    await queue.add([injectedJob(0, { keyId: 'k', size: 16 * 1024 * KiB })])
    await sleep(2500)
    expect(progress.at(-1)?.bytesPerSecond).toBeGreaterThan(1500 * KiB)
    queue.setBandwidthLimit(512)
    await sleep(1500)
    // Before, the window still held 2.5 s at 2 MiB/s: ~1.4 MiB/s shown, and a time left far too short.
    const row = progress.at(-1)!
    const summary = queue.status()
    for (const rate of [row.bytesPerSecond, summary.bytesPerSecond]) {
      expect(rate).toBeGreaterThan(0.5 * 512 * KiB)
      expect(rate).toBeLessThan(1.5 * 512 * KiB)
    }
  }, 20_000)
})

describe('the bandwidth limit restarts the rates when it changes', () => {
  it('set or adopted, a new limit restarts them; the same limit again does not', () => {
    let saved: number | null = null
    let restarts = 0
    const limit = createBandwidthLimit({
      settings: {
        bandwidthLimit: () => saved,
        setBandwidthLimit: (v) => {
          saved = v
        },
      },
      limiter: createBandwidthLimiter(2048 * KiB),
      fromCommandLine: true,
      schedule: () => {},
      restartRates: () => restarts++,
    })
    limit.setBandwidthLimit(512)
    expect(restarts).toBe(1)
    limit.adopt(512)
    expect(restarts).toBe(1)
    limit.adopt(null)
    expect(restarts).toBe(2)
  })
})
