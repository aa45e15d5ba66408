import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredJob } from '../../main/core/queue/job-store'
import { createJobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import type { JobSuccess } from '../../main/core/queue/run-job'
import { createUploadQueue, type UploadQueue } from '../../main/core/queue/upload-queue'
import type { S3Connection } from '../../main/core/storage/s3-client'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { injectedAccount, injectedJob } from '../support/injected-queue'

/**
 * The request limit as a user setting: read and set through the contract, saved in the data folder's queue DB,
 * applied to the running queue at once (new uploads obey it, the ones in flight finish).
 */
const ok = (j: StoredJob): JobSuccess => ({ sha256: 'x', size: j.size, mtimeMs: 1, skipped: false })
const open: { queue: UploadQueue; close: () => void }[] = []
afterEach(async () => {
  for (const { queue, close } of open.splice(0)) {
    await queue.stop()
    close()
  }
})

/** A started queue on `file` whose uploads end when the test says so (`release`). */
function queueOn(file: string, concurrency?: number) {
  const inFlight = new Map<number, () => void>()
  const db = openQueueDatabase(file)
  const queue = createUploadQueue({
    store: createJobStore(db),
    client: async () => ({ account: injectedAccount, ...({} as S3Connection) }),
    customerKey: async () => '',
    bucketDefault: async () => undefined,
    events: {},
    ...(concurrency !== undefined ? { concurrency } : {}),
    transfer: (job, ctx) =>
      new Promise((resolve, reject) => {
        inFlight.set(job.id, () => resolve(ok(job)))
        // Stopping the queue aborts what is in flight.
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))
      }),
  })
  queue.start()
  open.push({ queue, close: () => db.close() })
  /** Ends `n` uploads in flight and waits until the queue has recorded them. */
  async function release(n: number): Promise<void> {
    const ids = [...inFlight.keys()].slice(0, n)
    for (const id of ids) {
      inFlight.get(id)!()
      inFlight.delete(id)
    }
    await queue.waitFor(ids)
  }
  return { queue, inFlight, release, dispatch: createDispatch(createHandlers(handlerDepsStub({ queue }))) }
}

const dataFile = async () => join(await mkdtemp(join(tmpdir(), 'obs-sync-limit-')), 'queue.db')
const tick = () => new Promise((r) => setTimeout(r, 20))

describe('the request limit, a saved setting applied live', () => {
  it('is 64 by default; a value set is saved in the queue DB and used at the next start', async () => {
    const file = await dataFile()
    const first = queueOn(file)
    expect(await first.dispatch('queue:request-limit', [])).toEqual({
      ok: true,
      value: { requests: 64, saved: 64, fromCommandLine: false },
    })
    expect(await first.dispatch('queue:set-request-limit', [24])).toEqual({
      ok: true,
      value: { requests: 24, saved: 24, fromCommandLine: false },
    })
    await first.queue.stop()
    const again = queueOn(file)
    expect(again.queue.requestLimit()).toEqual({ requests: 24, saved: 24, fromCommandLine: false })
  })

  it('new uploads obey a changed limit at once; uploads in flight finish', async () => {
    const { queue, inFlight, release } = queueOn(await dataFile())
    queue.setRequestLimit(2)
    // One job first: a batch runs one at a time until one upload of it went through.
    await queue.add([injectedJob(0, { keyId: 'k' })])
    await tick()
    await release(1)
    await queue.add(Array.from({ length: 20 }, (_, i) => injectedJob(i + 1, { keyId: 'k' })))
    await tick()
    expect(inFlight.size).toBe(2)

    queue.setRequestLimit(6)
    await tick()
    expect(inFlight.size).toBe(6)

    // Lowered: the six in flight go on; nothing new starts until fewer than 1 remain.
    queue.setRequestLimit(1)
    await tick()
    expect(inFlight.size).toBe(6)
    await release(5)
    await tick()
    expect(inFlight.size).toBe(1)
    await release(1)
    await tick()
    expect(inFlight.size).toBe(1)
  })

  it('--concurrency sets this run only; a value set afterwards replaces it and is saved', async () => {
    const file = await dataFile()
    const run = queueOn(file, 3)
    expect(run.queue.requestLimit()).toEqual({ requests: 3, saved: 64, fromCommandLine: true })
    expect(run.queue.setRequestLimit(5)).toEqual({ requests: 5, saved: 5, fromCommandLine: false })
  })

  it('bad values get a clear INVALID_ARGUMENT and change nothing', async () => {
    const { queue, dispatch, inFlight } = queueOn(await dataFile())
    queue.setRequestLimit(4)
    for (const bad of [0, -3, 129, 1000, 2.5, '8', null, Number.NaN, Number.POSITIVE_INFINITY]) {
      const answer = await dispatch('queue:set-request-limit', [bad])
      expect(answer, String(bad)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/request limit|expected number/i) },
      })
    }
    expect(await dispatch('queue:set-request-limit', [])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(queue.requestLimit()).toEqual({ requests: 4, saved: 4, fromCommandLine: false })
    expect(inFlight.size).toBe(0)
  })
})
