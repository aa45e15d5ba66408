import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { createProgressMeter } from '../../main/core/queue/progress-meter'
import { uploadMultipart } from '../../main/core/storage/upload-multipart'
import type { ProgressEvent } from '../../preload/contract/queue-models'

const MiB = 1024 * 1024

/** A meter on a hand-driven clock; `events` collects what the UI would get (flushed by hand). */
function meterAt() {
  let now = 0
  const events: ProgressEvent[] = []
  const meter = createProgressMeter(
    (batch) => events.push(...batch),
    1_000_000,
    () => now,
  )
  return {
    meter,
    events,
    at: (ms: number) => {
      now = ms
    },
    rate: () => meter.overall().bytesPerSecond,
  }
}

describe('progress meter: rates over a sliding window of the running time only', () => {
  it('a resumed job starts at its stored bytes: they are not counted as moved', () => {
    const { meter, at, rate } = meterAt()
    at(100_000)
    meter.report(1, 100 * MiB, 200 * MiB) // resumed: 100 MiB of parts already on the server
    at(102_000)
    meter.report(1, 108 * MiB, 200 * MiB)
    expect(rate()).toBe(4 * MiB)
    expect(meter.overall().etaSeconds).toBe(Math.ceil((92 * MiB) / (4 * MiB)))
  })

  it('in the first second the rate is taken over a whole second: a part done 20 ms in is not 400 MiB/s', () => {
    const { meter, at, rate } = meterAt()
    at(0)
    meter.report(1, 0, 200 * MiB)
    at(20)
    meter.report(1, 8 * MiB, 200 * MiB)
    expect(rate()).toBe(8 * MiB)
    at(2000)
    expect(rate()).toBe(4 * MiB)
  })

  it('only the last 5 s count, and a stall falls to 0 as its last movement leaves the window', () => {
    const { meter, at, rate } = meterAt()
    for (let s = 0; s <= 10; s++) {
      at(s * 1000)
      meter.report(1, s * 10 * MiB, 1000 * MiB) // 10 MiB/s for 10 s
    }
    for (let s = 11; s <= 16; s++) {
      at(s * 1000)
      meter.report(1, 100 * MiB + (s - 10) * MiB, 1000 * MiB) // then 1 MiB/s
    }
    expect(rate()).toBe(1 * MiB)
    at(18_000)
    expect(rate()).toBeLessThan(1 * MiB)
    at(22_000)
    expect(rate()).toBe(0)
  })

  it('a pause is not part of any rate: after resume the rate is what moved since', () => {
    const { meter, at, rate, events } = meterAt()
    at(0)
    meter.report(1, 0, 100 * MiB)
    at(2000)
    meter.report(1, 40 * MiB, 100 * MiB)
    meter.finish(1) // paused
    at(60_000)
    meter.report(1, 40 * MiB, 100 * MiB) // resumed at its 40 MiB of stored parts
    at(62_000)
    meter.report(1, 44 * MiB, 100 * MiB)
    expect(rate()).toBe(2 * MiB)
    meter.stop()
    expect(events).toEqual([])
  })
})

/**
 * The multipart upload's own reports when it resumes: the parts already stored are reported at once (not one by
 * one as the file is read past them), and the bytes the server holds are told after each part.
 */
describe('multipart progress when resuming (fake S3 answering by command)', () => {
  it('reports the stored parts once, then each new part; tells the stored bytes for the queue DB', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-mp-'))
    const path = join(dir, 'big.bin')
    const content = randomBytes(8 * 5 * MiB)
    await writeFile(path, content)
    const sent: number[] = []
    const s3 = {
      send: async (command: { constructor: { name: string }; input: { PartNumber?: number } }) => {
        switch (command.constructor.name) {
          case 'ListPartsCommand':
            // Parts 1-3 are there; part 5 has a wrong size (sent again).
            return {
              Parts: [1, 2, 3, 5].map((n) => ({
                PartNumber: n,
                ETag: `"e${n}"`,
                Size: n === 5 ? 1 : 5 * MiB,
              })),
            }
          case 'UploadPartCommand':
            sent.push(command.input.PartNumber ?? 0)
            return { ETag: `"n${command.input.PartNumber}"` }
          case 'CompleteMultipartUploadCommand':
            return { ETag: '"done-8"' }
          default:
            throw new Error(`unexpected ${command.constructor.name}`)
        }
      },
    } as unknown as S3Client
    const progress: number[] = []
    const stored: number[] = []
    await uploadMultipart(
      s3,
      {
        bucket: 'b',
        key: 'big.bin',
        filePath: path,
        size: content.length,
        sha256Hex: createHash('sha256').update(content).digest('hex'),
        sse: {},
        metadata: {},
        partSize: 5 * MiB,
        partConcurrency: 1,
        multipart: { uploadId: 'u1', partSize: 5 * MiB },
        onProgress: (bytes) => progress.push(bytes / MiB),
        onStored: (bytes) => stored.push(bytes / MiB),
      },
      {},
    )
    expect(sent).toEqual([4, 5, 6, 7, 8])
    expect(progress).toEqual([15, 20, 25, 30, 35, 40])
    expect(stored).toEqual([15, 20, 25, 30, 35, 40])
  })
})

/**
 * The overall rate (status bar, tray, the CLI's progress line) is what all uploads moved over the window. Before,
 * it was the sum of the rates of the jobs still running: 200 small files at a steady ~270 KiB/s showed 0 B/s and
 * no time left, as each small upload is done within a second and gone from the sum.
 */
describe('progress meter: the overall rate counts the uploads that ended within the window', () => {
  const KiB = 1024

  /** Small uploads one after another, 16 KiB every 60 ms (~267 KiB/s), each a single PUT: 0 at its start, then all. */
  function smallUploads(meter: ReturnType<typeof meterAt>, from: number, count: number, firstId = 1): number {
    let t = from
    for (let i = 0; i < count; i++) {
      meter.at(t)
      meter.meter.report(firstId + i, 0, 16 * KiB)
      meter.at(t + 40)
      meter.meter.report(firstId + i, 16 * KiB, 16 * KiB)
      meter.meter.finish(firstId + i)
      t += 60
    }
    return t
  }

  it('many small uploads, each done within the window: the rate is their bytes over the window', () => {
    const m = meterAt()
    const end = smallUploads(m, 0, 200) // 12 s of them
    m.at(end)
    // 5 s hold 83 uploads of 16 KiB: ~266 KiB/s.
    expect(m.rate()).toBeGreaterThan(250 * KiB)
    expect(m.rate()).toBeLessThan(280 * KiB)
  })

  it('the time left is what the running uploads still have to send, at that rate', () => {
    const m = meterAt()
    const end = smallUploads(m, 0, 100)
    m.at(end)
    m.meter.report(500, 0, 1024 * KiB) // a larger one starts
    const { bytesPerSecond, etaSeconds } = m.meter.overall()
    expect(bytesPerSecond).toBeGreaterThan(250 * KiB)
    expect(etaSeconds).toBe(Math.ceil((1024 * KiB) / bytesPerSecond))
  })

  it('a resumed multipart upload among them: its stored parts are still not counted as moved', () => {
    const m = meterAt()
    let end = smallUploads(m, 0, 100)
    m.at(end)
    const before = m.rate()
    m.meter.report(900, 100 * 1024 * KiB, 200 * 1024 * KiB) // resumed with 100 MiB of stored parts
    end = smallUploads(m, end, 10, 1000)
    m.at(end)
    expect(m.rate()).toBeGreaterThan(before * 0.9)
    expect(m.rate()).toBeLessThan(before * 1.1)
  })

  it('after a pause (nothing running), the overall rate is what moved since the resume, as a job`s is', () => {
    const m = meterAt()
    smallUploads(m, 0, 50)
    const end = smallUploads(m, 60_000, 34) // ~2 s of them after a minute's pause
    m.at(end)
    expect(m.rate()).toBeGreaterThan(250 * KiB)
  })
})

describe('progress meter: restartRates (the upload limit changed)', () => {
  const KiB = 1024
  it('drops the old window: the next rates are what moved since, over at least MIN_SPAN_MS', () => {
    const m = meterAt()
    // 2 MiB/s for 6 s, reported every 100 ms; then the limit is lowered to 512 KiB/s.
    let bytes = 0
    let t = 0
    for (; t <= 6000; t += 100) {
      m.at(t)
      m.meter.report(1, bytes, 100 * 1024 * KiB)
      bytes += 200 * KiB
    }
    bytes -= 200 * KiB
    t -= 100
    m.meter.restartRates()
    for (let s = 1; s <= 15; s++) {
      m.at(t + s * 100)
      bytes += 51.2 * KiB
      m.meter.report(1, bytes, 100 * 1024 * KiB)
    }
    m.at(t + 1500)
    // 1.5 s at 512 KiB/s. Before, the window still held 3.5 s at 2 MiB/s: ~1.6 MiB/s.
    expect(m.rate()).toBeCloseTo(512 * KiB, -2)
  })

  it('right after the change, a rate is never taken over less than MIN_SPAN_MS', () => {
    const m = meterAt()
    m.at(0)
    m.meter.report(1, 0, 100 * 1024 * KiB)
    m.at(3000)
    m.meter.report(1, 6 * 1024 * KiB, 100 * 1024 * KiB)
    m.meter.restartRates()
    m.at(3050)
    m.meter.report(1, 6 * 1024 * KiB + 64 * KiB, 100 * 1024 * KiB)
    expect(m.rate()).toBe(64 * KiB)
  })
})
