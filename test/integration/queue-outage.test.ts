import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createQueueHarness, until } from '../support/queue-harness'
import { randomFiles } from '../support/random-files'
import { independentClient } from '../support/s3'
import type { RgwEnv } from '../support/services'

// Issue 4: RGW stopped for 20 s in the middle of a batch: the queue retries, reports offline, and completes.
// This file stops a gateway, so it starts its own RGW instead of the shared one other files are using.
const script = resolve(import.meta.dirname, '../support/rgw.sh')
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')
const OUTAGE_MS = 20_000

describe('the queue through a 20 s gateway outage', () => {
  let dir: string
  let rgw: RgwEnv
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-outage-rgw-'))
    execFileSync('bash', [script, 'start', dir], { stdio: ['ignore', 'ignore', 'pipe'] })
    rgw = JSON.parse(await readFile(join(dir, 'env.json'), 'utf8'))
    await independentClient(rgw).send(new CreateBucketCommand({ Bucket: 'outage' }))
  }, 180_000)
  afterAll(() => {
    execFileSync('bash', [script, 'stop', '--purge', dir], { stdio: 'ignore' })
  })

  it('retries while offline, says so, and completes every upload afterwards', async () => {
    const { dir: source, hashes } = await randomFiles('obs-sync-outage-src-', 60, 64 * 1024)
    const h = await createQueueHarness(rgw, { concurrency: 2, bandwidth: 512 * 1024, random: () => 0.5 })
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket: 'outage',
      prefix: '',
      paths: [...hashes.keys()].map((name) => join(source, name)),
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
    })
    await until(() => h.queue.list().filter((j) => j.state === 'done').length >= 5, 30_000, 'five uploads')

    execFileSync('bash', [script, 'stop-gateway', dir], { stdio: 'ignore' })
    const stoppedAt = Date.now()
    await until(() => h.queue.status().state === 'offline', 15_000, 'the offline state')
    const whileOffline = h.queue.status()
    expect(whileOffline.offlineSince).toBeTruthy()
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))))
    const doneDuringOutage = h.queue.list().filter((j) => j.state === 'done').length
    expect(h.queue.list().filter((j) => j.state === 'failed')).toEqual([])
    execFileSync('bash', [script, 'start-gateway', dir], { stdio: 'ignore' })

    const jobs = await h.queue.waitFor(jobIds)
    expect(jobs.every((j) => j.state === 'done')).toBe(true)
    expect(doneDuringOutage).toBeLessThan(60)
    expect(h.queue.status().state).toBe('idle')
    expect(h.statuses.some((s) => s.state === 'offline')).toBe(true)
    expect(jobs.some((j) => j.attempts > 1)).toBe(true)

    const reader = independentClient(rgw)
    for (const [key, hash] of hashes) {
      const head = await reader.send(new HeadObjectCommand({ Bucket: 'outage', Key: key }))
      expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
      const body = await reader.send(new GetObjectCommand({ Bucket: 'outage', Key: key }))
      expect(sha256(await body.Body!.transformToByteArray())).toBe(hash)
    }
    await h.queue.stop()
  }, 180_000)
})
