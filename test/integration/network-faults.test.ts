import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import type { StatusSummary } from '../../preload/contract/queue-models'
import { type FaultMode, type FaultProxy, startFaultProxy } from '../support/fault-proxy'
import { createQueueHarness, harnessAccount, type QueueHarness } from '../support/queue-harness'
import { freshBucket, openMultipartUploads } from '../support/s3'
import { expectStoredExactly } from '../support/stored-objects'

// Issue 14: the queue through the fault proxy (test/support/fault-proxy.ts) in front of the real RGW, with the
// app's default time limits (network-watchdog.ts). Each fault must show as "offline, retrying in N s" within
// 30 s, and end, once the link passes again, with every object exactly once, the right SHA-256 and SSE-KMS
// key (read back by an independent client talking to RGW directly) and no multipart upload left open.

const { rgw } = inject('services')
const MiB = 1024 * 1024
const OFFLINE_WITHIN_MS = 30_000
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {})
})

async function sourceFiles(sizes: number[]): Promise<{ paths: string[]; hashes: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-faults-'))
  const hashes = new Map<string, string>()
  const paths: string[] = []
  for (const [i, size] of sizes.entries()) {
    const data = randomBytes(size)
    const name = `file-${i}.bin`
    await writeFile(join(dir, name), data)
    hashes.set(name, sha256(data))
    paths.push(join(dir, name))
  }
  return { paths, hashes }
}

async function throughProxy(options: { partSize?: number; mode?: FaultMode; upBytesPerSecond?: number }) {
  const rgwUrl = new URL(rgw.httpsEndpoint)
  const proxy = await startFaultProxy({
    targetHost: rgwUrl.hostname,
    targetPort: Number(rgwUrl.port),
    mode: options.mode,
    link: { upBytesPerSecond: options.upBytesPerSecond },
  })
  cleanups.push(() => proxy.close())
  const h = await createQueueHarness(rgw, {
    account: harnessAccount(rgw, { endpoint: proxy.url() }),
    partSize: options.partSize,
    concurrency: 2,
  })
  cleanups.push(() => h.queue.stop())
  const bucket = await freshBucket(rgw, 'faults')
  return { proxy, h, bucket }
}

/** The first status saying offline, with how long after `since` it came. */
async function offlineStatus(h: QueueHarness, since: number): Promise<{ status: StatusSummary; ms: number }> {
  const deadline = since + OFFLINE_WITHIN_MS + 15_000
  for (;;) {
    const status = h.statuses.find((s) => s.state === 'offline')
    if (status) return { status, ms: Date.now() - since }
    if (Date.now() > deadline) throw new Error(`no offline status ${deadline - since} ms after the fault`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function expectOfflineWithRetry(offline: { status: StatusSummary; ms: number }, reason: RegExp): void {
  expect(offline.ms).toBeLessThanOrEqual(OFFLINE_WITHIN_MS)
  expect(offline.status.offlineSince).toBeTruthy()
  // "retrying in N s": the summary says when the next attempt is due, and why the last one failed.
  expect(Date.parse(offline.status.retryAt ?? '')).toBeGreaterThan(Date.parse(offline.status.offlineSince!))
  expect(offline.status.offlineReason).toMatch(reason)
}

/** Every object once, the right bytes and key, nothing else in the bucket, no multipart upload left open. */
async function expectAllStored(bucket: string, hashes: Map<string, string>): Promise<void> {
  await expectStoredExactly(rgw, { bucket, prefix: '', kmsKeyId: rgw.kmsKeyIds[0]! }, hashes)
  expect(await openMultipartUploads(rgw, bucket)).toEqual([])
}

async function enqueueAll(h: QueueHarness, bucket: string, paths: string[]): Promise<number[]> {
  const { jobIds } = await h.queue.enqueue({
    accountId: 'acct-1',
    bucket,
    prefix: '',
    paths,
    encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
  })
  return jobIds
}

async function finishAfterPass(proxy: FaultProxy, h: QueueHarness, jobIds: number[]): Promise<void> {
  await proxy.setMode({ kind: 'pass' })
  const jobs = await h.queue.waitFor(jobIds)
  expect(jobs.map((j) => [j.key, j.state, j.error?.code ?? null])).toEqual(
    jobs.map((j) => [j.key, 'done', null]),
  )
  expect(h.queue.status().state).toBe('idle')
}

describe('uploads through network faults (fault proxy in front of RGW)', () => {
  it('black hole from the start: offline within 30 s, then every file once when the link is back', async () => {
    const { proxy, h, bucket } = await throughProxy({ mode: { kind: 'blackhole' } })
    const { paths, hashes } = await sourceFiles([64 * 1024, 64 * 1024, 200 * 1024, 1, 0, 3 * MiB])
    h.queue.start()
    const started = Date.now()
    const jobIds = await enqueueAll(h, bucket, paths)
    const offline = await offlineStatus(h, started)
    expectOfflineWithRetry(offline, /stalled: the connection \(TCP and TLS handshake\) was not set up/)
    expect(h.queue.list().filter((j) => j.state === 'done')).toEqual([])
    expect(proxy.stats().bytesToTarget).toBe(0)
    await finishAfterPass(proxy, h, jobIds)
    await expectAllStored(bucket, hashes)
  }, 180_000)

  it('black hole in the middle of a 64 MiB part: offline within 30 s, resumed and completed afterwards', async () => {
    // 16 MiB/s up: the first part takes ~4 s, long enough to cut it in the middle.
    const { proxy, h, bucket } = await throughProxy({ partSize: 64 * MiB, upBytesPerSecond: 16 * MiB })
    const { paths, hashes } = await sourceFiles([80 * MiB])
    h.queue.start()
    const jobIds = await enqueueAll(h, bucket, paths)
    await proxy.waitFor('bytesToTarget', 32 * MiB, 60_000)
    expect(h.sent).toContain('UploadPartCommand')
    await proxy.setMode({ kind: 'blackhole' })
    const offline = await offlineStatus(h, Date.now())
    expectOfflineWithRetry(offline, /stalled: (the server did not answer|no data moved)/)
    await finishAfterPass(proxy, h, jobIds)
    await expectAllStored(bucket, hashes)
  }, 240_000)

  it('a stall after 1 MiB of a part: a time limit ends the attempt, the upload completes later', async () => {
    const { proxy, h, bucket } = await throughProxy({ partSize: 8 * MiB })
    const { paths, hashes } = await sourceFiles([20 * MiB])
    h.queue.start()
    // The create call is small and gets through; each part's connection stops after 1 MiB more.
    await proxy.setMode({ kind: 'stall', afterBytes: MiB })
    const stalledAt = Date.now()
    const jobIds = await enqueueAll(h, bucket, paths)
    const offline = await offlineStatus(h, stalledAt)
    // Which limit fires depends on the kernel: when the socket buffers (several MiB on loopback) take the rest
    // of the 8 MiB part, the request counts as sent and the first-byte limit ends it; otherwise the progress
    // limit does. Either way the attempt ends within 20 s and says the connection stalled.
    expectOfflineWithRetry(offline, /stalled: (no data moved|the server did not answer) within 20 s/)
    await finishAfterPass(proxy, h, jobIds)
    await expectAllStored(bucket, hashes)
  }, 180_000)

  it('a connection reset in the middle of a part: retried, completed, nothing doubled', async () => {
    const { proxy, h, bucket } = await throughProxy({ partSize: 8 * MiB })
    const { paths, hashes } = await sourceFiles([20 * MiB, 100 * 1024])
    h.queue.start()
    await proxy.setMode({ kind: 'reset', afterBytes: 3 * MiB })
    const resetAt = Date.now()
    const jobIds = await enqueueAll(h, bucket, paths)
    const offline = await offlineStatus(h, resetAt)
    expectOfflineWithRetry(offline, /cannot be reached.*(ECONNRESET|socket hang up)/)
    await finishAfterPass(proxy, h, jobIds)
    await expectAllStored(bucket, hashes)
  }, 180_000)
})
