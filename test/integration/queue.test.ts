import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { appendFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createQueueHarness, harnessAccount, until } from '../support/queue-harness'
import { freshBucket, independentClient, objectBytes, openMultipartUploads } from '../support/s3'

const { rgw } = inject('services')
const MiB = 1024 * 1024
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')
const kms = (keyId = rgw.kmsKeyIds[0]) => ({ mode: 'sse-kms' as const, keyId })

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'obs-sync-q-'))
}

describe('the durable upload queue against RGW', () => {
  let bucket: string
  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'queue')
  })

  /** One file of `size` random bytes in a fresh folder, queued with SSE-KMS under `prefix`, the queue started. */
  async function queueOneFile(
    name: string,
    size: number,
    prefix: string,
    options: Parameters<typeof createQueueHarness>[1],
  ) {
    const path = join(await tempDir(), name)
    const data = randomBytes(size)
    await writeFile(path, data)
    const h = await createQueueHarness(rgw, options)
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix,
      paths: [path],
      encryption: kms(),
    })
    return { h, path, data, jobIds }
  }

  it('uploads a dropped folder tree with SSE-KMS; links and special files are reported, not fatal', async () => {
    const dir = await tempDir()
    const root = join(dir, 'photos')
    await mkdir(join(root, 'a/b'), { recursive: true })
    const files: Record<string, Buffer> = {}
    for (const rel of ['one.jpg', 'a/two.jpg', 'a/b/three.jpg', 'a/b/ünï ✓.txt']) {
      files[rel] = randomBytes(20_000)
      await writeFile(join(root, rel), files[rel]!)
    }
    await symlink(root, join(root, 'a/b/loop'))
    await symlink(join(dir, 'missing-target'), join(root, 'dangling'))
    execFileSync('mkfifo', [join(root, 'a/pipe')])
    const h = await createQueueHarness(rgw)
    h.queue.start()
    const result = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'drop/',
      paths: [root],
      encryption: kms(),
    })
    expect(result.jobIds).toHaveLength(4)
    // Why, as data a window words in its language (skipReasons.*), and in English for the CLI.
    expect(result.skipped.map((s) => [s.path.slice(root.length), s.why, s.reason.split(' (')[0]])).toEqual(
      expect.arrayContaining([
        ['/a/b/loop', 'link', 'a symbolic link'],
        ['/a/pipe', 'special', 'not a regular file'],
        ['/dangling', 'link', 'a symbolic link'],
      ]),
    )
    const jobs = await h.queue.waitFor(result.jobIds)
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done'])
    for (const [rel, data] of Object.entries(files)) {
      const head = await independentClient(rgw).send(
        new HeadObjectCommand({ Bucket: bucket, Key: `drop/photos/${rel}` }),
      )
      expect(head.ServerSideEncryption).toBe('aws:kms')
      expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
      expect(head.Metadata?.sha256).toBe(sha256(data))
      expect((await objectBytes(rgw, bucket, `drop/photos/${rel}`)).equals(data)).toBe(true)
    }
    await h.queue.stop()
  })

  it('runs at most `concurrency` uploads at once', async () => {
    const dir = await tempDir()
    for (let i = 0; i < 8; i++) await writeFile(join(dir, `f${i}`), randomBytes(200_000))
    const h = await createQueueHarness(rgw, { concurrency: 2, bandwidth: 2 * MiB })
    h.queue.start()
    const running = new Set<number>()
    let peak = 0
    const seen = h.jobEvents
    const watcher = setInterval(() => {
      for (const job of seen.splice(0)) {
        if (job.state === 'running') running.add(job.id)
        else running.delete(job.id)
        peak = Math.max(peak, running.size)
      }
    }, 1)
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'conc/',
      paths: [dir],
      encryption: kms(),
    })
    await h.queue.waitFor(jobIds)
    clearInterval(watcher)
    expect(peak).toBe(2)
    await h.queue.stop()
  })

  it('more jobs than one look at the queue returns start in order, within the limit, and pause/resume holds', async () => {
    const dir = await tempDir()
    const count = 150 // > RUNNABLE_BATCH: the scheduler has to read the queue again as it goes
    for (let i = 0; i < count; i++) await writeFile(join(dir, `f${String(i).padStart(3, '0')}`), `file ${i}`)
    const h = await createQueueHarness(rgw, { concurrency: 3 })
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'many/',
      paths: [dir],
      encryption: kms(),
    })
    await until(
      () => jobIds.filter((id) => h.store.get(id)?.state === 'done').length >= 20,
      20_000,
      '20 done',
    )
    await h.queue.pause('all')
    const pausedAt = h.jobEvents.length
    await new Promise((r) => setTimeout(r, 300))
    expect(h.jobEvents.slice(pausedAt).filter((j) => j.state === 'running')).toEqual([])
    await h.queue.resume('all')
    const jobs = await h.queue.waitFor(jobIds)
    expect(jobs.map((j) => j.state)).toEqual(jobIds.map(() => 'done'))
    const starts = h.jobEvents.filter((j) => j.state === 'running').map((j) => j.id)
    expect(new Set(starts).size).toBe(count)
    // First starts follow the queue's order; the ones paused while running went back and ran again later.
    const firstStarts = starts.filter((id, i) => starts.indexOf(id) === i)
    expect(firstStarts).toEqual([...jobIds].sort((a, b) => a - b))
    let running = 0
    let peak = 0
    for (const j of h.jobEvents) {
      if (j.state === 'running') running++
      else if (['done', 'paused', 'queued', 'failed'].includes(j.state) && running > 0) running--
      peak = Math.max(peak, running)
    }
    expect(peak).toBeLessThanOrEqual(3)
    const listed = await independentClient(rgw).send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `many/${basename(dir)}/` }),
    )
    expect(listed.KeyCount).toBe(count)
    await h.queue.stop()
  })

  it('resumes a multipart upload after a restart from the parts already stored', async () => {
    const dir = await tempDir()
    const data = randomBytes(24 * MiB)
    await writeFile(join(dir, 'big.bin'), data)
    const tuning = { multipartThreshold: 5 * MiB, partSize: 5 * MiB }
    const first = await createQueueHarness(rgw, { ...tuning, bandwidth: 6 * MiB })
    first.queue.start()
    const { jobIds } = await first.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'resume/',
      paths: [join(dir, 'big.bin')],
      encryption: kms(rgw.kmsKeyIds[1]),
    })
    // Parts now wait for the limit as they are written, not before they are sent: a part sent is not yet
    // stored, so wait for one the server confirmed (the job's saved progress).
    await until(() => (first.store.get(jobIds[0]!)?.bytesDone ?? 0) >= 5 * MiB, 30_000, 'a part stored')
    await first.queue.stop()
    const partsBefore = first.sent.filter((c) => c === 'UploadPartCommand').length
    const interrupted = first.store.get(jobIds[0]!)
    expect(interrupted?.state).toBe('queued')
    expect(interrupted?.uploadId).toBeTruthy()

    const second = await createQueueHarness(rgw, { ...tuning, dbPath: first.dbPath })
    second.queue.start()
    const [job] = await second.queue.waitFor(jobIds)
    expect(job?.state).toBe('done')
    expect(second.sent).toContain('ListPartsCommand')
    expect(second.sent).not.toContain('CreateMultipartUploadCommand')
    const partsAfter = second.sent.filter((c) => c === 'UploadPartCommand').length
    expect(partsAfter).toBeLessThan(5)
    expect(partsBefore + partsAfter).toBeGreaterThanOrEqual(5)
    expect((await objectBytes(rgw, bucket, 'resume/big.bin')).equals(data)).toBe(true)
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'resume/big.bin' }),
    )
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[1])
    expect(head.Metadata?.sha256).toBe(sha256(data))
    await second.queue.stop()
  })

  it('cancelling a running multipart upload aborts it on the server', async () => {
    const { h, jobIds } = await queueOneFile('cancel.bin', 20 * MiB, 'cancel/', {
      multipartThreshold: 5 * MiB,
      partSize: 5 * MiB,
      bandwidth: 4 * MiB,
    })
    await until(() => h.sent.includes('UploadPartCommand'), 30_000, 'a part')
    await h.queue.cancel(jobIds[0]!)
    expect(h.store.get(jobIds[0]!)?.key).toBe('cancel/cancel.bin')
    expect(h.store.get(jobIds[0]!)?.state).toBe('cancelled')
    expect(h.sent).toContain('AbortMultipartUploadCommand')
    expect(await openMultipartUploads(rgw, bucket, 'cancel/')).toEqual([])
    await expect(
      independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: 'cancel/cancel.bin' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } })
    await h.queue.stop()
  })

  it('pause keeps a job, resume finishes it', async () => {
    const { h, data, jobIds } = await queueOneFile('pause.bin', 3 * MiB, 'pause/', { bandwidth: 1 * MiB })
    await until(() => h.store.get(jobIds[0]!)?.state === 'running', 10_000, 'running')
    await h.queue.pause(jobIds[0]!)
    expect(h.store.get(jobIds[0]!)?.state).toBe('paused')
    await new Promise((r) => setTimeout(r, 300))
    expect(h.store.get(jobIds[0]!)?.state).toBe('paused')
    await h.queue.resume(jobIds[0]!)
    const [job] = await h.queue.waitFor(jobIds)
    expect(job?.state).toBe('done')
    expect((await objectBytes(rgw, bucket, 'pause/pause.bin')).equals(data)).toBe(true)
    await h.queue.stop()
  })

  it('a file that changes while uploading is re-queued and uploaded whole, never half-new', async () => {
    const { h, path, jobIds } = await queueOneFile('growing.log', 2 * MiB, 'change/', { bandwidth: 1 * MiB })
    await until(() => h.store.get(jobIds[0]!)?.state === 'running', 10_000, 'running')
    await new Promise((r) => setTimeout(r, 300))
    await appendFile(path, randomBytes(100_000))
    const [job] = await h.queue.waitFor(jobIds)
    expect(job?.state).toBe('done')
    expect(h.jobEvents.some((j) => j.error?.code === 'SOURCE_CHANGED')).toBe(true)
    const final = await readFile(path)
    expect((await objectBytes(rgw, bucket, 'change/growing.log')).equals(final)).toBe(true)
    await h.queue.stop()
  })

  it('a file that vanishes fails with the reason (and its multipart upload is aborted); retry after it is back', async () => {
    const { h, path, jobIds } = await queueOneFile('vanishing.bin', 12 * MiB, 'gone/', {
      multipartThreshold: 5 * MiB,
      partSize: 5 * MiB,
      bandwidth: 4 * MiB,
    })
    await until(() => h.sent.includes('UploadPartCommand'), 30_000, 'a part')
    await rm(path)
    const [job] = await h.queue.waitFor(jobIds)
    expect(job?.state).toBe('failed')
    expect(job?.error?.code).toMatch(/SOURCE_GONE|SOURCE_CHANGED/)
    expect(job?.error?.message).toContain('vanishing.bin')
    expect(await openMultipartUploads(rgw, bucket, 'gone/')).toEqual([])

    const data = randomBytes(1000)
    await writeFile(path, data)
    await h.queue.retry(jobIds[0]!)
    const [retried] = await h.queue.waitFor(jobIds)
    expect(retried?.state).toBe('done')
    expect((await objectBytes(rgw, bucket, 'gone/vanishing.bin')).equals(data)).toBe(true)
    h.queue.clearFinished()
    expect(h.queue.list()).toEqual([])
    await h.queue.stop()
  })

  it('bad credentials hold the account’s jobs (no retry storm) and the status says error', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'x.bin'), 'x')
    const h = await createQueueHarness(rgw, { secret: 'wrong-secret-0000000000000000000000000000' })
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'creds/',
      paths: [dir],
      encryption: kms(),
    })
    await until(() => h.store.get(jobIds[0]!)?.error?.code === 'BAD_CREDENTIALS', 10_000, 'held')
    await new Promise((r) => setTimeout(r, 1500))
    const job = h.store.get(jobIds[0]!)
    expect(job?.state).toBe('queued')
    expect(job?.attempts).toBe(1)
    expect(h.queue.status().state).toBe('error')
    await h.queue.stop()
  })

  it('an unreachable endpoint is retried with backoff and reported as offline', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'y.bin'), 'y')
    const h = await createQueueHarness(rgw, {
      account: harnessAccount(rgw, { endpoint: 'https://127.0.0.1:9' }),
      random: () => 0,
    })
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'offline/',
      paths: [dir],
      encryption: { mode: 'sse-obs' },
    })
    await until(() => (h.store.get(jobIds[0]!)?.attempts ?? 0) >= 2, 15_000, 'a retry')
    const job = h.store.get(jobIds[0]!)
    expect(job?.state).toMatch(/queued|running/)
    expect(job?.error?.code).toBe('ENDPOINT_UNREACHABLE')
    expect(h.queue.status().state).toBe('offline')
    expect(h.statuses.some((s) => s.state === 'offline' && s.offlineSince)).toBe(true)
    await h.queue.stop()
  })

  it('SSE-KMS to a plain-HTTP endpoint fails the job before anything is sent', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'z.bin'), 'z')
    const h = await createQueueHarness(rgw, { account: harnessAccount(rgw, { endpoint: rgw.httpEndpoint }) })
    h.queue.start()
    await expect(
      h.queue.enqueue({ accountId: 'acct-1', bucket, prefix: 'http/', paths: [dir], encryption: kms() }),
    ).rejects.toMatchObject({ code: 'HTTPS_REQUIRED' })
    expect(h.sent.filter((c) => c.startsWith('Put') || c.startsWith('Create'))).toEqual([])
    await h.queue.stop()
  })
})
