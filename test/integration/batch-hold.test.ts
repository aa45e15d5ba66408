import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { problemTitle } from '../../renderer/src/components/transfers/problem-title'
import { createQueueHarness } from '../support/queue-harness'
import { freshBucket } from '../support/s3'

const { rgw } = inject('services')

describe('no doomed batches, against RGW', () => {
  it('50 files with an unknown KMS key: 1 request that fails, 49 held with its reason, one problem shown', async () => {
    const bucket = await freshBucket(rgw, 'batch')
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-batch-'))
    for (let i = 0; i < 50; i++) await writeFile(join(dir, `f${i}.txt`), randomBytes(1024))
    const h = await createQueueHarness(rgw, { concurrency: 4 })
    h.queue.start()
    try {
      const { jobIds } = await h.queue.enqueue({
        accountId: h.account.id,
        bucket,
        prefix: 'batch',
        paths: [dir],
        encryption: { mode: 'sse-kms', keyId: 'nokey-9' },
      })
      expect(jobIds).toHaveLength(50)
      const ended = await h.queue.waitFor(jobIds)
      expect(h.sent.filter((c) => c === 'PutObjectCommand')).toHaveLength(1)
      expect(ended.filter((j) => j.state === 'failed').map((j) => j.error?.code)).toEqual([
        'KMS_KEY_NOT_FOUND',
      ])
      expect(ended.filter((j) => j.state === 'paused')).toHaveLength(49)
      // Grouped by the queue (core): one cause, one group of 50 (1 failed, 49 held), as every shell shows it.
      const problems = h.queue.problemGroups().groups
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatchObject({ count: 50, failed: 1, held: 49, heldPaused: 49, retrying: 0 })
      expect(problemTitle(problems[0]!)).toMatch(/^50 uploads failed: KMS key "nokey-9" does not exist/)
      // One action for the group: cancelled and cleared together, nothing of the batch left behind.
      await h.queue.groupAction({ groupId: problems[0]!.id, action: 'clear' })
      expect(h.queue.list().filter((j) => jobIds.includes(j.id))).toEqual([])
      expect(h.queue.problemGroups().groups).toEqual([])
    } finally {
      await h.queue.stop()
    }
  })

  it('SSE-KMS without a key id on RGW (no default key) is refused before anything is queued, naming what to pick', async () => {
    const h = await createQueueHarness(rgw)
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-batch-'))
    await writeFile(join(dir, 'a.txt'), 'a')
    await expect(
      h.queue.enqueue({
        accountId: h.account.id,
        bucket: 'any',
        prefix: '',
        paths: [dir],
        encryption: { mode: 'sse-kms' },
      }),
    ).rejects.toMatchObject({
      code: 'KMS_KEY_REQUIRED',
      message: expect.stringMatching(/no default KMS key.*--kms-key/),
    })
    expect(h.queue.list()).toEqual([])
  })
})
