import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import type { StatusSummary } from '../../preload/contract/queue-models'
import { createQueueHarness, until } from '../support/queue-harness'
import { freshBucket } from '../support/s3'

const { rgw } = inject('services')
const KiB = 1024

/**
 * The speed the status summary shows (status bar, tray, the CLI's progress line) while many small files go to
 * RGW under an upload limit. Each is one PUT sent in one piece: before, each was done before it had a rate, and
 * the summary said 0 B/s with no time left for the whole run.
 */
describe('many small files under an upload limit', () => {
  it('the status summary shows a speed near the limit, and a time left', async () => {
    const LIMIT = 256 * KiB // bytes per second
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-small-speed-'))
    const paths: string[] = []
    for (let i = 0; i < 100; i++) {
      const path = join(dir, `f${i}.bin`)
      await writeFile(path, randomBytes(16 * KiB))
      paths.push(path)
    }
    const bucket = await freshBucket(rgw, 'small-speed')
    const statuses: { at: number; status: StatusSummary }[] = []
    const start = performance.now()
    const h = await createQueueHarness(rgw, {
      bandwidth: LIMIT,
      events: { status: (status) => statuses.push({ at: performance.now() - start, status }) },
    })
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: '',
      paths,
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0]! },
    })
    // 1.6 MiB at 256 KiB/s (after the limiter's 1 s burst) takes ~5 s; the window is full of small PUTs by 3 s.
    await until(() => statuses.some((s) => s.at >= 3000), 30_000, 'a status after 3 s')
    const shown = statuses.find((s) => s.at >= 3000)!.status
    expect(shown.bytesPerSecond).toBeGreaterThan(0.5 * LIMIT)
    expect(shown.bytesPerSecond).toBeLessThan(1.5 * LIMIT)
    expect(shown.etaSeconds).toBeGreaterThan(0)
    const done = await h.queue.waitFor(jobIds)
    expect(done.every((job) => job?.state === 'done')).toBe(true)
    await h.queue.stop()
  }, 120_000)
})
