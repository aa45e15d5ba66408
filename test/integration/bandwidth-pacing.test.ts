import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { BODY_PIECE_BYTES } from '../../main/core/storage/body-in-pieces'
import type { ProgressEvent } from '../../preload/contract/queue-models'
import { createQueueHarness, enqueueOneFile, harnessAccount } from '../support/queue-harness'
import { faultProxiesToRgw } from '../support/rgw-fault-proxy'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const MiB = 1024 * 1024
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')
const proxyToRgw = faultProxiesToRgw(rgw)

/** What had left the app (passed the proxy towards RGW) at a moment, ms from the start. */
interface Sample {
  at: number
  bytes: number
}

/** The most any stretch between two samples carried beyond `bytesPerSecond` for its length. */
function worstExcess(samples: Sample[], bytesPerSecond: number): number {
  let excess = 0
  for (const [i, from] of samples.entries())
    for (const to of samples.slice(i + 1))
      excess = Math.max(excess, to.bytes - from.bytes - (bytesPerSecond * (to.at - from.at)) / 1000)
  return excess
}

/** The most bytes that left within any `windowMs` (between samples that far apart or less). */
function busiestWindow(samples: Sample[], windowMs: number): number {
  let most = 0
  for (const [i, from] of samples.entries())
    for (const to of samples.slice(i + 1))
      if (to.at - from.at <= windowMs) most = Math.max(most, to.bytes - from.bytes)
  return most
}

/**
 * The bandwidth limit as the network sees it, against RGW over TLS: the bytes of a multipart upload counted as
 * they pass a proxy in front of RGW. A part used to wait for the limit whole and then go out at line speed (an
 * 8 MiB burst through a 4 MiB/s limit); its pieces now each wait as they are written.
 */
/** What loopback TCP buffers may hold between a writer and a reader in another part of the event loop. */
const SOCKET_BUFFERS = 4 * MiB

describe('a multipart upload under a bandwidth limit', () => {
  it('leaves at the limit: no stretch of time carries more than the limit for its length plus the 1 s burst', async () => {
    const LIMIT = 4 * MiB // bytes per second; the limiter allows 1 s of it as a burst
    const PART = 8 * MiB
    const data = randomBytes(3 * PART)
    const path = join(await mkdtemp(join(tmpdir(), 'obs-sync-pacing-')), 'big.bin')
    await writeFile(path, data)
    const bucket = await freshBucket(rgw, 'pacing')
    const proxy = await proxyToRgw()
    const progress: { event: ProgressEvent; left: number }[] = []
    const h = await createQueueHarness(rgw, {
      account: harnessAccount(rgw, { endpoint: proxy.url() }),
      bandwidth: LIMIT,
      multipartThreshold: PART,
      partSize: PART,
      events: {
        progress: (events) => {
          for (const event of events) progress.push({ event, left: proxy.stats().bytesFromClients })
        },
      },
    })
    h.queue.start()
    const started = performance.now()
    const samples: Sample[] = [{ at: 0, bytes: proxy.stats().bytesFromClients }]
    const sampler = setInterval(
      () => samples.push({ at: performance.now() - started, bytes: proxy.stats().bytesFromClients }),
      50,
    )
    try {
      const id = await enqueueOneFile(h, bucket, path, rgw.kmsKeyIds[0]!)
      const [done] = await h.queue.waitFor([id])
      expect(done?.state).toBe('done')
    } finally {
      clearInterval(sampler)
      samples.push({ at: performance.now() - started, bytes: proxy.stats().bytesFromClients })
      await h.queue.stop()
    }
    const excess = worstExcess(samples, LIMIT)
    // The burst is spent in the first moments and never refills while parts keep waiting.
    const afterBurst = samples.filter((s) => s.at >= 1000)
    const figures = {
      seconds: (samples.at(-1)!.at / 1000).toFixed(1),
      worstExcessMiB: (excess / MiB).toFixed(2),
      busiest1sMiB: (busiestWindow(samples, 1000) / MiB).toFixed(2),
      busiest250msMiB: (busiestWindow(samples, 250) / MiB).toFixed(2),
      busiest1sAfterBurstMiB: (busiestWindow(afterBurst, 1000) / MiB).toFixed(2),
    }
    console.log('bandwidth pacing at 4 MiB/s, 3 x 8 MiB parts:', figures)
    // The burst (1 s of the limit) plus about a piece per connection and the requests' own headers; before the
    // fix a whole part left at once, ~8 MiB beyond the limit.
    expect(excess).toBeLessThanOrEqual(LIMIT + 1 * MiB)
    expect(busiestWindow(afterBurst, 1000)).toBeLessThanOrEqual(LIMIT + 1 * MiB)
    // It took as long as the limit says (the burst aside), not less.
    expect(samples.at(-1)!.at).toBeGreaterThanOrEqual(((data.length - LIMIT - MiB) / LIMIT) * 1000)
    // What the job showed had left the app, up to what the connection holds: a row moves as each piece is handed
    // to the connection (upload-multipart.ts), and the kernel's socket buffers between the app and this proxy (in
    // this process, read when its turn comes) hold up to a few MiB of it on loopback. The limit itself is checked
    // on the wire above.
    for (const { event, left } of progress)
      expect(event.bytesDone).toBeLessThanOrEqual(left + SOCKET_BUFFERS + BODY_PIECE_BYTES)
    const got = await independentClient(rgw).send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }))
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(data))
  }, 30_000)
})
