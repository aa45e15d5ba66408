import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../main/core/errors'
import type { StoredJob } from '../../main/core/queue/job-store'
import type { JobSuccess } from '../../main/core/queue/run-job'
import { injectedJob, injectedQueue } from '../support/injected-queue'

/**
 * Adding an upload for a target the queue already holds. The same upload (file, encryption, class) is not queued
 * twice; an earlier job that asked for something else, or failed, is replaced by the new one. Found by a user
 * walk: `obs-sync upload` run again with the right KMS key after a wrong one got the held jobs of the wrong key
 * back, failed again, and the first run's failure stayed in the status after the file was uploaded.
 */
describe('a new upload of a target the queue holds', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
  })

  async function queueWhereOnly(goodKey: string) {
    const ok = (j: StoredJob): JobSuccess => ({ sha256: 'x', size: j.size, mtimeMs: 1, skipped: false })
    const queue = await injectedQueue({
      concurrency: 4,
      transfer: async (j) => {
        if (j.encryption.choice.mode === 'sse-kms' && j.encryption.choice.keyId === goodKey) return ok(j)
        throw new AppError('KMS_KEY_NOT_FOUND', 'KMS key "nokey-9" does not exist on this server.')
      },
    })
    stop = () => queue.stop()
    return queue
  }

  it('with another KMS key replaces the held and failed jobs of the old key, which leave the queue', async () => {
    const queue = await queueWhereOnly('testkey-1')
    const wrong = await queue.add([1, 2, 3].map((i) => injectedJob(i, { keyId: 'nokey-9' })))
    expect((await queue.waitFor(wrong)).map((j) => j.state)).toEqual(['failed', 'paused', 'paused'])

    const right = await queue.add([1, 2, 3].map((i) => injectedJob(i, { keyId: 'testkey-1' })))
    expect(right.some((id) => wrong.includes(id))).toBe(false)
    expect((await queue.waitFor(right)).map((j) => j.state)).toEqual(['done', 'done', 'done'])
    expect(queue.list().map((j) => [j.key, j.state])).toEqual([
      ['k1', 'done'],
      ['k2', 'done'],
      ['k3', 'done'],
    ])
  })

  it('asking for the same upload again returns the job already waiting', async () => {
    const queue = await queueWhereOnly('testkey-1')
    const first = await queue.add([1, 2].map((i) => injectedJob(i, { keyId: 'nokey-9' })))
    await queue.waitFor(first)
    // k2 is held with the reason; the same request again is that job, not a second one.
    const again = await queue.add([injectedJob(2, { keyId: 'nokey-9' })])
    expect(again).toEqual([first[1]])
    expect(queue.list()).toHaveLength(2)
  })
})
