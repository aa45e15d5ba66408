import { createHash, randomBytes } from 'node:crypto'
import { getEventListeners } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { S3Client } from '@aws-sdk/client-s3'
import type { HttpRequest } from '@smithy/types'
import { describe, expect, it, vi } from 'vitest'
import { createBandwidthLimiter } from '../../main/core/queue/bandwidth-limiter'
import { BODY_PIECE_BYTES, sendBodiesInPieces } from '../../main/core/storage/body-in-pieces'
import { retryOnceAfterClockCorrection } from '../../main/core/storage/clock-skew'
import { type MultipartRequest, uploadMultipart } from '../../main/core/storage/upload-multipart'

const MiB = 1024 * 1024

/** A piece of a part's body as the socket took it: when (ms since the client was made) and how big. */
interface Arrival {
  at: number
  bytes: number
}

/**
 * An S3 client (with the app's body middleware and clock-skew retry) whose HTTP handler plays a multipart-capable
 * server: it reads each part's body as a socket would, noting when each piece arrives. `answerPart` may refuse a
 * part (a clock-skew answer) after its body was read.
 */
function partServer(
  answerPart?: (
    attempt: number,
  ) => { statusCode: number; headers: Record<string, string>; body: string } | undefined,
) {
  const started = performance.now()
  const arrivals: Arrival[] = []
  let partAttempts = 0
  let bodyError: unknown
  const xml = (body: string) => ({ statusCode: 200, headers: {}, body: Readable.from([Buffer.from(body)]) })
  const requestHandler = {
    async handle(request: HttpRequest) {
      const query = request.query ?? {}
      if (request.method === 'POST' && 'uploads' in query)
        return {
          response: xml(
            '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>',
          ),
        }
      if (request.method === 'POST')
        return {
          response: xml('<CompleteMultipartUploadResult><ETag>"done"</ETag></CompleteMultipartUploadResult>'),
        }
      const body = request.body as unknown
      try {
        if (body instanceof Readable)
          for await (const chunk of body)
            arrivals.push({ at: performance.now() - started, bytes: (chunk as Buffer).length })
        else arrivals.push({ at: performance.now() - started, bytes: (body as Uint8Array).byteLength })
      } catch (error) {
        bodyError = error
        throw error
      }
      const refusal = answerPart?.(++partAttempts)
      if (refusal) return { response: { ...refusal, body: Readable.from([Buffer.from(refusal.body)]) } }
      return {
        response: { statusCode: 200, headers: { etag: `"p${query.partNumber}"` }, body: Readable.from([]) },
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  }
  const s3 = new S3Client({
    endpoint: 'https://s3.example.test',
    region: 'eu-de',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: requestHandler as never,
  })
  retryOnceAfterClockCorrection(s3)
  sendBodiesInPieces(s3)
  return { s3, arrivals, partAttempts: () => partAttempts, bodyError: () => bodyError }
}

async function fileOf(size: number) {
  const data = randomBytes(size)
  const path = join(await mkdtemp(join(tmpdir(), 'obs-sync-paced-')), 'big.bin')
  await writeFile(path, data)
  return { path, sha256Hex: createHash('sha256').update(data).digest('hex') }
}

const upload = (
  path: string,
  sha256Hex: string,
  size: number,
  extra: Partial<MultipartRequest>,
): MultipartRequest => ({
  bucket: 'b',
  key: 'big.bin',
  filePath: path,
  size,
  sha256Hex,
  sse: {},
  metadata: {},
  partSize: 5 * MiB,
  partConcurrency: 2,
  ...extra,
})

/** The most that any stretch of time (from one arrival to a later one) carried beyond the limit for its length. */
function worst(arrivals: Arrival[], bytesPerSecond: number) {
  let excess = Number.NEGATIVE_INFINITY
  for (let i = 0; i < arrivals.length; i++) {
    let bytes = 0
    for (let j = i; j < arrivals.length; j++) {
      bytes += arrivals[j]!.bytes
      excess = Math.max(excess, bytes - (bytesPerSecond * (arrivals[j]!.at - arrivals[i]!.at)) / 1000)
    }
  }
  return excess
}

describe('a multipart upload under a bandwidth limit (upload-multipart.ts, body-in-pieces.ts)', () => {
  it("a part's pieces reach the socket spread over time, never more than the burst and a piece ahead of the limit", async () => {
    const LIMIT = 3 * MiB // bytes per second, and the limiter's 1 s of burst
    const size = 7.5 * MiB // parts of 5 MiB and 2.5 MiB, both in flight at once
    const { path, sha256Hex } = await fileOf(size)
    const server = partServer()
    const limiter = createBandwidthLimiter(LIMIT)
    const taken: number[] = []
    const stored: number[] = []
    const told: { kind: 'stored' | 'shown'; bytes: number }[] = []
    await uploadMultipart(
      server.s3,
      upload(path, sha256Hex, size, {
        throttle: (bytes, signal) => {
          taken.push(bytes)
          return limiter.take(bytes, signal)
        },
        onStored: (bytes) => {
          stored.push(bytes)
          told.push({ kind: 'stored', bytes })
        },
        onProgress: (bytes) => told.push({ kind: 'shown', bytes }),
      }),
      { bucket: 'b', key: 'big.bin' },
    )
    // Any stretch of time carries at most the burst (1 s of the limit), one piece read ahead, and one piece of
    // timer slack more than the limit allows for its length (before: a 5 MiB part went out at once, 2 MiB over).
    expect(worst(server.arrivals, LIMIT)).toBeLessThanOrEqual(LIMIT + 2 * BODY_PIECE_BYTES)
    // Each wait is for one piece as it is written, not for a whole part before it.
    expect(Math.max(...taken)).toBeLessThanOrEqual(BODY_PIECE_BYTES)
    expect(taken.reduce((a, b) => a + b, 0)).toBe(size)
    expect(server.arrivals.reduce((sum, a) => sum + a.bytes, 0)).toBe(size)
    const last = server.arrivals.at(-1)!.at - server.arrivals[0]!.at
    expect(last).toBeGreaterThanOrEqual(((size - LIMIT - BODY_PIECE_BYTES) / LIMIT) * 1000)
    // Stored: only what the server confirmed, part by part.
    expect(stored).toEqual([0, expect.any(Number), size])
    // Shown: the pieces as they go, long before the first part is stored (both parts end together under the
    // shared limit: counted only per stored part, the row stood at 0% for most of the upload).
    const firstStored = told.findIndex((t) => t.kind === 'stored' && t.bytes > 0)
    const shownBefore = told.slice(0, firstStored).filter((t) => t.kind === 'shown')
    expect(shownBefore.length).toBeGreaterThan(10)
    expect(Math.max(...shownBefore.map((t) => t.bytes))).toBeGreaterThan(size / 2)
    const shown = told.filter((t) => t.kind === 'shown').map((t) => t.bytes)
    expect(shown.every((bytes, i) => i === 0 || bytes >= shown[i - 1]!)).toBe(true)
    expect(shown.at(-1)).toBe(size)
  }, 10_000)

  it('an abort while a piece waits for the limit ends the upload at once and leaves no listener on the signal', async () => {
    const LIMIT = 1 * MiB
    const { path, sha256Hex } = await fileOf(5 * MiB)
    const server = partServer()
    const limiter = createBandwidthLimiter(LIMIT)
    const controller = new AbortController()
    const uploading = uploadMultipart(
      server.s3,
      upload(path, sha256Hex, 5 * MiB, {
        throttle: (bytes, signal) => limiter.take(bytes, signal),
        signal: controller.signal,
      }),
      { bucket: 'b', key: 'big.bin' },
    )
    // The burst goes out at once; the next piece waits for the limit.
    await vi.waitFor(() => expect(server.arrivals.reduce((s, a) => s + a.bytes, 0)).toBe(LIMIT), 2000)
    const aborted = performance.now()
    controller.abort(new Error('paused by the user'))
    await expect(uploading).rejects.toBeTruthy()
    expect(performance.now() - aborted).toBeLessThan(500)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    // The body the socket was reading ended with the abort instead of waiting on.
    await vi.waitFor(() => expect(server.bodyError()).toBeDefined(), 1000)
  })

  it('a part sent again after a clock correction waits for the limit again, and is stored once', async () => {
    const size = 5 * MiB
    const { path, sha256Hex } = await fileOf(size)
    const skewed = new Date(Date.now() + 20 * 60_000).toUTCString()
    const server = partServer((attempt) =>
      attempt === 1
        ? {
            statusCode: 403,
            headers: { date: skewed },
            body: '<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>',
          }
        : undefined,
    )
    const taken: number[] = []
    const stored: number[] = []
    const progress: number[] = []
    await uploadMultipart(
      server.s3,
      upload(path, sha256Hex, size, {
        throttle: async (bytes) => void taken.push(bytes),
        onStored: (bytes) => stored.push(bytes),
        onProgress: (bytes) => progress.push(bytes),
      }),
      { bucket: 'b', key: 'big.bin' },
    )
    expect(server.partAttempts()).toBe(2)
    expect(server.arrivals.reduce((sum, a) => sum + a.bytes, 0)).toBe(2 * size)
    // Both sendings waited piece by piece; what the job shows counts the part once.
    expect(taken.reduce((a, b) => a + b, 0)).toBe(2 * size)
    expect(Math.max(...taken)).toBe(BODY_PIECE_BYTES)
    expect(stored).toEqual([0, size])
    // Shown as its pieces go, from 0 again for the second sending: never more than the part.
    expect(Math.max(...progress)).toBe(size)
    expect(progress.at(-1)).toBe(size)
    expect(progress.filter((bytes) => bytes === size)).toHaveLength(3)
  })
})
