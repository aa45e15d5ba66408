import { afterEach, describe, expect, it } from 'vitest'
import type { StoredJob } from '../../main/core/queue/job-store'
import type { JobContext } from '../../main/core/queue/run-job'
import { addToUsage, createSlotRule, emptyUsage, type Slot } from '../../main/core/queue/transfer-slots'
import { injectedJob, injectedQueue } from '../support/injected-queue'

const KiB = 1024
const MiB = 1024 * KiB
const THRESHOLD = 16 * MiB

describe('the concurrency rule (transfer-slots.ts)', () => {
  const rule = (requests?: number, bandwidth = 0) =>
    createSlotRule({ requests, multipartThreshold: THRESHOLD, bandwidth: () => bandwidth })
  const many = (n: number, slot: Slot) => Array.from({ length: n }, () => slot)

  it('default: 64 small files at once, or 4 multipart uploads of 4 parts each and small files beside them', () => {
    const r = rule()
    const small = r.slotOf(16 * KiB)
    const big = r.slotOf(512 * MiB)
    expect(r.limit()).toBe(64)
    expect(small).toEqual({ requests: 1, multipart: false, memory: 0 })
    expect(big).toEqual({ requests: 4, multipart: true, memory: 0 })
    expect(r.refusal(many(63, small), 16 * KiB)).toBeUndefined()
    expect(r.refusal(many(64, small), 16 * KiB)).toBe('requests')
    expect(r.refusal(many(3, big), 512 * MiB)).toBeUndefined()
    // A fifth big file waits for its kind, not for requests: small files may pass it.
    expect(r.refusal(many(4, big), 512 * MiB)).toBe('kind')
    // 4 big (16 requests) + 48 small = 64.
    expect(r.refusal([...many(4, big), ...many(47, small)], 16 * KiB)).toBeUndefined()
    expect(r.refusal([...many(4, big), ...many(48, small)], 16 * KiB)).toBe('requests')
    // 2 big (8 requests) + 56 small = 64.
    expect(r.refusal([...many(2, big), ...many(55, small)], 16 * KiB)).toBeUndefined()
    expect(r.refusal([...many(2, big), ...many(56, small)], 16 * KiB)).toBe('requests')
  })

  it('a user limit of 16: 16 small files, or 4 multipart uploads that take all of it', () => {
    const r = rule(16)
    const small = r.slotOf(16 * KiB)
    const big = r.slotOf(512 * MiB)
    expect(r.refusal(many(15, small), 16 * KiB)).toBeUndefined()
    expect(r.refusal(many(16, small), 16 * KiB)).toBe('requests')
    expect(r.refusal(many(4, big), 16 * KiB)).toBe('requests')
    expect(r.refusal([...many(2, big), ...many(8, small)], 16 * KiB)).toBe('requests')
  })

  it('a higher user limit: still at most 4 multipart uploads, small files take the rest', () => {
    const r = rule(64)
    const big = r.slotOf(100 * MiB)
    expect(r.refusal(many(4, big), 100 * MiB)).toBe('kind')
    expect(r.refusal(many(4, big), 16 * KiB)).toBeUndefined()
  })

  it('files of 1 MiB up to the threshold (read whole for one PUT): at most 64 MiB of them at once, always one', () => {
    const r = rule(64)
    const eight = r.slotOf(8 * MiB)
    expect(eight).toEqual({ requests: 1, multipart: false, memory: 8 * MiB })
    expect(r.refusal(many(7, eight), 8 * MiB)).toBeUndefined()
    expect(r.refusal(many(8, eight), 8 * MiB)).toBe('kind')
    expect(r.refusal(many(8, eight), 16 * KiB)).toBeUndefined()
    expect(r.refusal([], 15 * MiB)).toBeUndefined()
  })

  it('the usage the scheduler keeps (counted in at start, out at the end) refuses as the running slots do', () => {
    const r = rule()
    const [small, mid, big] = [r.slotOf(16 * KiB), r.slotOf(8 * MiB), r.slotOf(512 * MiB)]
    const running = [...many(2, big), ...many(8, mid), ...many(12, small)]
    const usage = emptyUsage()
    for (const slot of [...running, small, big]) addToUsage(usage, slot, 1)
    for (const slot of [small, big]) addToUsage(usage, slot, -1)
    for (const size of [16 * KiB, 8 * MiB, 512 * MiB])
      expect(r.refusalFor(usage, size)).toBe(r.refusal(running, size))
    expect(r.refusalFor(usage, 8 * MiB)).toBe('kind')
    expect(r.refusalFor(usage, 16 * KiB)).toBeUndefined()
    for (const slot of running) addToUsage(usage, slot, -1)
    expect(usage).toEqual(emptyUsage())
  })

  it('a bandwidth limit lowers the overall limit to one request per 256 KiB/s (at least one)', () => {
    expect(rule(16, 1 * MiB).limit()).toBe(4)
    expect(rule(16, 100 * KiB).limit()).toBe(1)
    expect(rule(16, 100 * MiB).limit()).toBe(16)
    // A multipart upload holds no more parts in flight than the overall limit allows, so it fits.
    expect(rule(1, 8 * MiB).slotOf(100 * MiB).requests).toBe(1)
    expect(rule(2).slotOf(100 * MiB).requests).toBe(2)
  })

  it('a bandwidth limit lowers a multipart upload to one part in flight per 4 MiB/s of it (1 to 4)', () => {
    const parts = (bandwidth: number) => rule(64, bandwidth).slotOf(100 * MiB).requests
    expect(parts(0)).toBe(4)
    expect(parts(256 * KiB)).toBe(1)
    expect(parts(2 * MiB)).toBe(1)
    expect(parts(4 * MiB)).toBe(1)
    expect(parts(4 * MiB + 1)).toBe(2)
    expect(parts(8 * MiB)).toBe(2)
    expect(parts(12 * MiB)).toBe(3)
    expect(parts(16 * MiB)).toBe(4)
    expect(parts(1000 * MiB)).toBe(4)
    // Small files are one request each, as before.
    expect(rule(64, 2 * MiB).slotOf(16 * KiB).requests).toBe(1)
  })
})

/** The queue at its defaults, its transfer injected: what runs at once, by size. */
describe('the queue runs many small files and few big ones at once (transfer injected)', () => {
  const job = (i: number, size: number) => injectedJob(i, { keyId: 'k', size })
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
  })

  /** Runs `jobs`; each transfer takes 5 ms. Returns the most requests and multipart uploads seen at once. */
  async function run(jobs: ReturnType<typeof job>[], options: { bandwidth?: number } = {}) {
    let requests = 0
    let multipart = 0
    const most = { requests: 0, multipart: 0, parts: new Set<number | undefined>() }
    const started: string[] = []
    const queue = await injectedQueue({
      bandwidth: options.bandwidth,
      transfer: async (j: StoredJob, ctx: JobContext) => {
        const big = j.size >= THRESHOLD
        const held = big ? (ctx.partConcurrency ?? 4) : 1
        if (big) most.parts.add(ctx.partConcurrency)
        started.push(j.key)
        requests += held
        multipart += big ? 1 : 0
        most.requests = Math.max(most.requests, requests)
        most.multipart = Math.max(most.multipart, multipart)
        await new Promise((r) => setTimeout(r, 5))
        requests -= held
        multipart -= big ? 1 : 0
        return { sha256: 'x', size: j.size, mtimeMs: 1, skipped: false }
      },
    })
    stop = () => queue.stop()
    const ended = await queue.waitFor(await queue.add(jobs))
    expect(ended.every((j) => j.state === 'done')).toBe(true)
    return { most, started }
  }

  it('100 small files: 64 at once', async () => {
    const { most } = await run(Array.from({ length: 100 }, (_, i) => job(i, 16 * KiB)))
    expect(most.requests).toBe(64)
  })

  it('10 big files: 4 at once, 4 parts each; small files after them fill what is left', async () => {
    const jobs = [
      ...Array.from({ length: 10 }, (_, i) => job(i, 100 * MiB)),
      ...Array.from({ length: 60 }, (_, i) => job(100 + i, 16 * KiB)),
    ]
    const { most } = await run(jobs)
    expect(most.multipart).toBe(4)
    expect(most.parts).toEqual(new Set([4]))
    // 4 x 4 parts + 48 small files.
    expect(most.requests).toBe(64)
  })

  it('a big file waiting for free requests is not overtaken by the small files queued after it', async () => {
    // 62 small files leave 2 of the 64 requests: the big file (4) must wait for two of them to end.
    const jobs = [
      ...Array.from({ length: 62 }, (_, i) => job(i, 16 * KiB)),
      job(62, 100 * MiB),
      ...Array.from({ length: 30 }, (_, i) => job(63 + i, 16 * KiB)),
    ]
    const { started } = await run(jobs)
    const big = started.indexOf('k62')
    expect(big).toBe(62)
    expect(started.slice(0, big).filter((k) => Number(k.slice(1)) > 62)).toEqual([])
  })

  // Parts in flight share the limit and a pause drops those not yet stored: under a limit, fewer of them, so they
  // end one after another (4 parts of 8 MiB under 2 MiB/s all ended after ~16 s, a pause at 4 s lost 8 MiB).
  it.each([
    ['2 MiB/s', 2 * MiB, 1],
    ['8 MiB/s', 8 * MiB, 2],
    ['none', 0, 4],
  ])(
    'a big file under a bandwidth limit of %s runs with %i part(s) in flight',
    async (_label, bandwidth, parts) => {
      const { most } = await run([job(0, 100 * MiB)], { bandwidth })
      expect(most.parts).toEqual(new Set([parts]))
    },
  )

  it('with a bandwidth limit of 1 MiB/s: 4 requests at once', async () => {
    const { most } = await run(
      Array.from({ length: 30 }, (_, i) => job(i, 16 * KiB)),
      { bandwidth: 1 * MiB },
    )
    expect(most.requests).toBe(4)
  })
})
