import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../main/core/errors'
import type { StoredJob } from '../../main/core/queue/job-store'
import type { JobSuccess } from '../../main/core/queue/run-job'
import { injectedJob, injectedQueue } from '../support/injected-queue'

/**
 * The queue's policy with its transfer function injected: no server, each "upload" is a promise the test
 * settles. What a user would notice: how many requests a doomed batch costs, and what is held with which reason.
 */
const job = (i: number, keyId = 'nokey-9', bucket = 'b') => injectedJob(i, { keyId, bucket })

describe('queue policy (transfer injected)', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
  })

  async function queueWith(transfer: (job: StoredJob) => Promise<JobSuccess>, concurrency = 4) {
    const queue = await injectedQueue({ concurrency, transfer: (j) => transfer(j) })
    stop = () => queue.stop()
    return queue
  }
  const ok = (j: StoredJob): JobSuccess => ({ sha256: 'x', size: j.size, mtimeMs: 1, skipped: false })

  it('an unknown KMS key costs one request: the other 49 jobs of the batch are held with its reason', async () => {
    const attempts: number[] = []
    const queue = await queueWith(async (j) => {
      attempts.push(j.id)
      throw new AppError('KMS_KEY_NOT_FOUND', 'KMS key "nokey-9" does not exist on this server.')
    })
    const ids = await queue.add(Array.from({ length: 50 }, (_, i) => job(i)))
    const ended = await queue.waitFor(ids)
    expect(attempts).toHaveLength(1)
    expect(ended.filter((j) => j.state === 'failed')).toHaveLength(1)
    const held = ended.filter((j) => j.state === 'paused')
    expect(held).toHaveLength(49)
    expect(new Set(held.map((j) => j.error?.message))).toEqual(
      new Set(['KMS key "nokey-9" does not exist on this server.']),
    )
  })

  it('holds only the same batch: another key or another bucket keeps going', async () => {
    const queue = await queueWith(async (j) => {
      if (j.encryption.choice.mode === 'sse-kms' && j.encryption.choice.keyId === 'nokey-9')
        throw new AppError('KMS_KEY_NOT_FOUND', 'no such key')
      return ok(j)
    })
    const ids = await queue.add([job(1), job(2), job(3, 'testkey-1'), job(4, 'nokey-9', 'other')])
    const ended = await queue.waitFor(ids)
    expect(ended.map((j) => [j.key, j.state])).toEqual([
      ['k1', 'failed'],
      ['k2', 'paused'],
      ['k3', 'done'],
      ['k4', 'failed'],
    ])
  })

  it('a missing bucket holds every job to that bucket of the account, whatever their encryption', async () => {
    const queue = await queueWith(async () => {
      throw new AppError('NO_SUCH_BUCKET', 'The bucket "b" does not exist.')
    }, 1)
    const ids = await queue.add([job(1), job(2, 'testkey-1'), job(3, 'testkey-2')])
    const ended = await queue.waitFor(ids)
    expect(ended.map((j) => j.state)).toEqual(['failed', 'paused', 'paused'])
  })

  it('once a batch has one upload through, its jobs run in parallel up to the limit', async () => {
    let inFlight = 0
    let most = 0
    const queue = await queueWith(async (j) => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((r) => setTimeout(r, 20))
      inFlight--
      return ok(j)
    })
    const ended = await queue.waitFor(
      await queue.add(Array.from({ length: 20 }, (_, i) => job(i, 'testkey-1'))),
    )
    expect(ended.every((j) => j.state === 'done')).toBe(true)
    expect(most).toBe(4)
  })

  it('retrying the held group runs it again, and it completes once the cause is gone', async () => {
    let keyExists = false
    const queue = await queueWith(async (j) => {
      if (!keyExists) throw new AppError('KMS_KEY_NOT_FOUND', 'no such key')
      return ok(j)
    })
    const ids = await queue.add(Array.from({ length: 5 }, (_, i) => job(i)))
    await queue.waitFor(ids)
    keyExists = true
    await queue.retry(ids)
    const ended = await queue.waitFor(ids)
    expect(ended.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done', 'done'])
  })
})
