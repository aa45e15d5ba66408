import type { ProgressEvent } from '../../../preload/contract/queue-models'

/** Rates are the bytes moved over the last WINDOW_MS of a job's run. */
export const WINDOW_MS = 5000
/**
 * A rate is never taken over less than this: a multipart job reports a part at a time, and a first part that
 * finishes a few milliseconds after the start (the bandwidth limiter's burst, say) would otherwise read as
 * hundreds of MB/s. Early on the rate is therefore low rather than high.
 */
export const MIN_SPAN_MS = 1000

interface Track {
  size: number
  bytesDone: number
  /** Reports within the window, plus the last one before it (the window's baseline). */
  samples: { at: number; bytes: number }[]
}

/**
 * Byte counts of running jobs, turned into rates and ETAs over a sliding 5 s window, and handed out at most
 * every `intervalMs` (10 per second by default) however often the transfers report: the UI needs no more.
 * A job's first report is its baseline, not movement: a resumed multipart job starts at the bytes its stored
 * parts hold (upload-multipart.ts reports them at once). A paused job has no track (the queue frees it), so a
 * pause never enters a rate; a stalled job's rate falls to 0 as its last movement leaves the window.
 */
export function createProgressMeter(
  emit: (events: ProgressEvent[]) => void,
  intervalMs = 100,
  clock: () => number = () => performance.now(),
) {
  const tracks = new Map<number, Track>()
  const dirty = new Set<number>()
  let timer: NodeJS.Timeout | undefined

  function rateOf(track: Track, now: number): number {
    const from = now - WINDOW_MS
    const { samples } = track
    while (samples.length > 1 && (samples[1]?.at ?? now) <= from) samples.shift()
    const base = samples[0]
    const last = samples.at(-1)
    if (!base || !last) return 0
    const span = Math.max(now - Math.max(base.at, from), MIN_SPAN_MS)
    return ((last.bytes - base.bytes) * 1000) / span
  }

  function eventOf(jobId: number, track: Track, now: number): ProgressEvent {
    const rate = rateOf(track, now)
    const left = track.size - track.bytesDone
    return {
      jobId,
      bytesDone: track.bytesDone,
      size: track.size,
      bytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.ceil(left / rate) : undefined,
    }
  }

  function flush(): void {
    timer = undefined
    const now = clock()
    const batch: ProgressEvent[] = []
    for (const id of dirty) {
      const track = tracks.get(id)
      if (track) batch.push(eventOf(id, track, now))
    }
    dirty.clear()
    if (batch.length > 0) emit(batch)
  }

  return {
    report(jobId: number, bytesDone: number, size: number): void {
      const at = clock()
      let track = tracks.get(jobId)
      if (!track) {
        track = { size, bytesDone, samples: [] }
        tracks.set(jobId, track)
      }
      track.size = size
      track.bytesDone = bytesDone
      track.samples.push({ at, bytes: bytesDone })
      dirty.add(jobId)
      timer ??= setTimeout(flush, intervalMs)
    },
    /** The job stopped running (done, paused, failed): its rate ends with it. */
    finish(jobId: number): void {
      tracks.delete(jobId)
      dirty.delete(jobId)
    },
    /** Sum of the current rates of all running jobs, and the overall ETA. */
    overall(): { bytesPerSecond: number; etaSeconds?: number } {
      const now = clock()
      let rate = 0
      let left = 0
      for (const track of tracks.values()) {
        rate += rateOf(track, now)
        left += track.size - track.bytesDone
      }
      return { bytesPerSecond: Math.round(rate), etaSeconds: rate > 0 ? Math.ceil(left / rate) : undefined }
    },
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}

export type ProgressMeter = ReturnType<typeof createProgressMeter>
