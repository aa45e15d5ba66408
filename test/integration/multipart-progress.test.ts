import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, ListPartsCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import type { Job, ProgressEvent } from '../../preload/contract/queue-models'
import { createQueueHarness, enqueueOneFile, until } from '../support/queue-harness'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const MiB = 1024 * 1024
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')

/**
 * Honest progress of a multipart upload that is paused and resumed (issue 17, point 3), against RGW: what the
 * contract's job and progress events say, compared with the parts the server really holds (ListParts with an
 * independent client). The bandwidth limit only slows the upload so that it can be paused mid-way.
 */
describe('a paused and resumed multipart upload', () => {
  it('paused, it shows the bytes of its stored parts; resumed, it goes on from them at a plausible rate', async () => {
    const bucket = await freshBucket(rgw, 'mp-progress')
    const s3 = independentClient(rgw)
    const PART = 5 * MiB
    const LIMIT = 4 * MiB // bytes per second
    const data = randomBytes(8 * PART)
    const path = join(await mkdtemp(join(tmpdir(), 'obs-sync-mp-progress-')), 'big.bin')
    await writeFile(path, data)
    const progress: ProgressEvent[] = []
    const jobs: Job[] = []
    const h = await createQueueHarness(rgw, {
      bandwidth: LIMIT,
      multipartThreshold: PART,
      partSize: PART,
      events: { progress: (events) => progress.push(...events), job: (job) => jobs.push(job) },
    })
    h.queue.start()
    const id = await enqueueOneFile(h, bucket, path, rgw.kmsKeyIds[0]!)

    // Running, the row moves with the bytes sent, before any part is stored: the parts in flight share the limit
    // piece by piece and end together (counted per stored part, it stood at "0 B of 40 MB" meanwhile).
    await until(() => (progress.at(-1)?.bytesDone ?? 0) >= PART / 2, 60_000, 'bytes shown moving')
    expect(h.store.get(id)?.bytesDone ?? 0).toBe(0)
    // Two parts stored (the job's saved progress), then pause.
    await until(() => (h.store.get(id)?.bytesDone ?? 0) >= 2 * PART, 60_000, 'two parts stored')
    const storedRunning = h.store.get(id)!.bytesDone
    await h.queue.pause(id)
    const paused = jobs.filter((j) => j.id === id).at(-1)!
    expect(paused.state).toBe('paused')
    // Paused, it shows whole parts, all of them on the server: not "0 B of 40 MB", and not the bytes of the parts
    // that were in flight (a pause drops them).
    expect(paused.bytesDone).toBeGreaterThanOrEqual(storedRunning)
    expect(paused.bytesDone % PART).toBe(0)
    const uploadId = h.store.get(id)?.uploadId
    expect(uploadId).toBeTruthy()
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'big.bin', UploadId: uploadId }))
    const onServer = (listed.Parts ?? []).reduce((sum, p) => sum + (p.Size ?? 0), 0)
    expect(paused.bytesDone).toBeLessThanOrEqual(onServer)

    const sentBefore = h.sent.filter((c) => c === 'UploadPartCommand').length
    const fromEvent = progress.length
    await h.queue.resume(id)
    const [done] = await h.queue.waitFor([id])
    expect(done?.state).toBe('done')

    const resumed = progress.slice(fromEvent).filter((e) => e.jobId === id)
    // It goes on from the stored parts: never back to 0, and the parts stored are not sent again.
    expect(resumed[0]!.bytesDone).toBeGreaterThanOrEqual(paused.bytesDone)
    const sentAfter = h.sent.filter((c) => c === 'UploadPartCommand').length - sentBefore
    expect(sentAfter).toBeLessThanOrEqual(8 - paused.bytesDone / PART)
    // No jump on resume: the stored parts are not counted as moved. The limiter lets ~1 s of burst through,
    // so no honest rate exceeds 3x the limit (before the fix: hundreds of MB/s here).
    const fastest = Math.max(...resumed.map((e) => e.bytesPerSecond))
    expect(fastest).toBeLessThanOrEqual(3 * LIMIT)
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }))
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(data))
    await h.queue.stop()
  }, 180_000)
})
