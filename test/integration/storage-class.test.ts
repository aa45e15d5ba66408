import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { createStorageService } from '../../main/core/storage/storage-service'
import { createQueueHarness } from '../support/queue-harness'
import { freshBucket, independentClient } from '../support/s3'

// The harness RGW has a second storage class, COLD, in its default placement (test/support/rgw.sh): uploads ask
// for it through the queue, and an independent client reads the class back (HEAD and ListObjectsV2).
const { rgw } = inject('services')
const MiB = 1024 * 1024

/**
 * A fresh bucket and a started queue (of the harness, with `options`) to upload into it; `enqueueAs` queues a folder
 * under `prefix` asking for `storageClass`.
 */
async function startedQueue(options: Parameters<typeof createQueueHarness>[1] = {}) {
  const [bucket, h] = await Promise.all([freshBucket(rgw, 'class'), createQueueHarness(rgw, options)])
  h.queue.start()
  const enqueueAs = (storageClass: string, prefix: string, dir: string) =>
    h.queue.enqueue({ accountId: 'acct-1', bucket, prefix, paths: [dir], storageClass })
  return { bucket, h, enqueueAs }
}

async function files(names: Record<string, number>) {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-class-'))
  for (const [name, size] of Object.entries(names)) await writeFile(join(dir, name), randomBytes(size))
  return dir
}

describe('storage class chosen at upload, against RGW with a COLD class', () => {
  it('single PUT and multipart land in COLD; the default stays STANDARD; listing and details show it', async () => {
    const { bucket, h, enqueueAs } = await startedQueue({ multipartThreshold: 5 * MiB, partSize: 5 * MiB })
    const cold = await files({ 'small.txt': 2000, 'big.bin': 11 * MiB })
    const plain = await files({ 'plain.txt': 100 })
    const asked = await enqueueAs('cold', 'cold/', cold)
    const byDefault = await h.queue.enqueue({ accountId: 'acct-1', bucket, prefix: 'std/', paths: [plain] })
    const jobs = await h.queue.waitFor([...asked.jobIds, ...byDefault.jobIds])
    expect(jobs.map((j) => [j.key, j.state, j.storageClass])).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/small\.txt$/), 'done', 'COLD'],
        [expect.stringMatching(/big\.bin$/), 'done', 'COLD'],
        [expect.stringMatching(/plain\.txt$/), 'done', undefined],
      ]),
    )
    expect(h.sent).toContain('UploadPartCommand')

    const reader = independentClient(rgw)
    for (const key of jobs.filter((j) => j.storageClass).map((j) => j.key)) {
      expect((await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).StorageClass).toBe(
        'COLD',
      )
    }
    const std = jobs.find((j) => j.key.endsWith('plain.txt'))!.key
    expect(
      (await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: std }))).StorageClass,
    ).toBeUndefined()
    const listed = await reader.send(new ListObjectsV2Command({ Bucket: bucket }))
    expect(Object.fromEntries((listed.Contents ?? []).map((o) => [o.Key, o.StorageClass]))).toMatchObject({
      [std]: 'STANDARD',
      ...Object.fromEntries(jobs.filter((j) => j.storageClass).map((j) => [j.key, 'COLD'])),
    })

    // What the GUI, web UI and CLI see: through the storage service.
    const storage = createStorageService({
      accounts: { client: () => h.client() } as never,
      customerKeys: { params: async () => ({}) } as never,
    })
    // The dropped folder keeps its name under the prefix: cold/<folder>/small.txt.
    const coldFolder = jobs.find((j) => j.storageClass)!.key.replace(/[^/]+$/, '')
    const page = await storage.list({ accountId: 'acct-1', bucket, prefix: coldFolder })
    expect(page.objects.map((o) => [o.storageClassLabel, o.archived])).toEqual([
      ['COLD', false],
      ['COLD', false],
    ])
    const details = await storage.details({ accountId: 'acct-1', bucket, key: std })
    expect(details).toMatchObject({ storageClass: 'STANDARD', storageClassLabel: 'Standard' })
    expect(details.archive).toBeUndefined()
    await h.queue.stop()
  })

  it('re-sending the same file with another class uploads it again (not "already done")', async () => {
    const { bucket, h, enqueueAs } = await startedQueue()
    const dir = await files({ 'again.txt': 500 })
    const first = await h.queue.enqueue({ accountId: 'acct-1', bucket, prefix: '', paths: [dir] })
    await h.queue.waitFor(first.jobIds)
    const second = await enqueueAs('COLD', '', dir)
    expect(second.jobIds).not.toEqual(first.jobIds)
    const [job] = await h.queue.waitFor(second.jobIds)
    expect(job).toMatchObject({ state: 'done', storageClass: 'COLD' })
    const head = await independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: job!.key }))
    expect(head.StorageClass).toBe('COLD')
    await h.queue.stop()
  })

  it('a class the server does not have fails the job with the reason; bad names are refused before queueing', async () => {
    const { bucket, h, enqueueAs } = await startedQueue()
    const dir = await files({ 'nope.txt': 10 })
    const result = await enqueueAs('ARCHIVE_X', '', dir)
    const [job] = await h.queue.waitFor(result.jobIds)
    expect(job?.state).toBe('failed')
    expect(job?.error?.message).toMatch(/storage class "ARCHIVE_X"/)
    await expect(
      h.queue.enqueue({ accountId: 'acct-1', bucket, prefix: '', paths: [dir], storageClass: 'no/such' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await h.queue.stop()
  })
})
