import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import type { JobContext } from '../../main/core/queue/run-job'
import type { UploadQueue, UploadQueueOptions } from '../../main/core/queue/upload-queue'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { injectedJob, queueOn } from '../support/injected-queue'

/**
 * The upload rate limit as a user setting (as the request limit is): read and set through the contract, saved in
 * the data folder's queue DB, used at the next start, and applied at once to the uploads already sending. Before,
 * it existed only as `--bandwidth` for one run: the desktop app and the web UI had no way to set one.
 */
const KiB = 1024
const PIECE = 64 * KiB
const open: { queue: UploadQueue; store: JobStore }[] = []
afterEach(async () => {
  for (const { queue, store } of open.splice(0)) {
    await queue.stop()
    store.close()
  }
})

const dataFile = async () => join(await mkdtemp(join(tmpdir(), 'obs-sync-rate-')), 'queue.db')

/**
 * A started queue on `file` whose uploads send their bytes in PIECE pieces through the queue's throttle (as the
 * real PUT and parts do); `sent` records when each piece was handed on, in ms since the upload started.
 */
function rateQueueOn(file: string, options: Partial<UploadQueueOptions> = {}) {
  const sent: number[] = []
  const store = createJobStore(openQueueDatabase(file))
  const queue = queueOn(store, {
    ...options,
    transfer: async (job, ctx: JobContext) => {
      const start = performance.now()
      for (let offset = 0; offset < job.size; offset += PIECE) {
        await ctx.throttle?.(Math.min(PIECE, job.size - offset), ctx.signal)
        sent.push(performance.now() - start)
      }
      return { sha256: 'x', size: job.size, mtimeMs: 1, skipped: false }
    },
  })
  queue.start()
  open.push({ queue, store })
  return { queue, store, sent, dispatch: createDispatch(createHandlers(handlerDepsStub({ queue }))) }
}

describe('the upload rate limit, a saved setting applied live', () => {
  it('is none by default; a limit set is saved and used at the next start; null removes it', async () => {
    const file = await dataFile()
    const first = rateQueueOn(file)
    expect(await first.dispatch('queue:bandwidth-limit', [])).toEqual({
      ok: true,
      value: { kibPerSecond: null, saved: null, fromCommandLine: false },
    })
    expect(await first.dispatch('queue:set-bandwidth-limit', [512])).toEqual({
      ok: true,
      value: { kibPerSecond: 512, saved: 512, fromCommandLine: false },
    })
    await first.queue.stop()
    const again = rateQueueOn(file)
    expect(again.queue.bandwidthLimit()).toEqual({ kibPerSecond: 512, saved: 512, fromCommandLine: false })
    // The saved limit is obeyed: 1 MiB at 512 KiB/s is one second of burst, then ~1 s more.
    const [id] = await again.queue.add([injectedJob(0, { keyId: 'k', size: 1024 * KiB })])
    await again.queue.waitFor([id!])
    expect(again.sent.at(-1)).toBeGreaterThan(850)
    expect(await again.dispatch('queue:set-bandwidth-limit', [null])).toEqual({
      ok: true,
      value: { kibPerSecond: null, saved: null, fromCommandLine: false },
    })
    await again.queue.stop()
    expect(rateQueueOn(file).queue.bandwidthLimit().saved).toBeNull()
  })

  it('an upload already sending follows a limit set or removed meanwhile', async () => {
    const { queue, sent } = rateQueueOn(await dataFile())
    queue.setBandwidthLimit(256)
    // 2 MiB at 256 KiB/s would take ~7 s; the limit is lifted after ~1.5 s and the rest goes at once.
    const [id] = await queue.add([injectedJob(0, { keyId: 'k', size: 2048 * KiB })])
    await new Promise((r) => setTimeout(r, 1500))
    const before = sent.length
    expect(before * PIECE).toBeLessThan(768 * KiB)
    queue.setBandwidthLimit(null)
    await queue.waitFor([id!])
    expect(sent.length).toBe(32)
    expect(sent.at(-1)).toBeLessThan(2500)
  })

  it('--bandwidth sets this run only; a value set afterwards replaces it and is saved', async () => {
    const run = rateQueueOn(await dataFile(), { bandwidth: 100 * KiB })
    expect(run.queue.bandwidthLimit()).toEqual({ kibPerSecond: 100, saved: null, fromCommandLine: true })
    expect(run.queue.setBandwidthLimit(300)).toEqual({
      kibPerSecond: 300,
      saved: 300,
      fromCommandLine: false,
    })
  })

  it('bad values get a clear INVALID_ARGUMENT and change nothing', async () => {
    const { queue, dispatch } = rateQueueOn(await dataFile())
    queue.setBandwidthLimit(64)
    for (const bad of [0, -5, 2.5, 10_000_001, 1e20, '512', Number.NaN, Number.POSITIVE_INFINITY]) {
      const answer = await dispatch('queue:set-bandwidth-limit', [bad])
      expect(answer, String(bad)).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/bandwidth limit|expected number/i),
        },
      })
    }
    expect(await dispatch('queue:set-bandwidth-limit', [])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(queue.bandwidthLimit()).toEqual({ kibPerSecond: 64, saved: 64, fromCommandLine: false })
  })
})
