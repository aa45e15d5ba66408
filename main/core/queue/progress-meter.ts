import type { ProgressEvent } from '../../../preload/contract/queue-models'

/** Rates are the bytes moved over the last WINDOW_MS of a job's run. */
export const WINDOW_MS = 5000
/**
 * A rate is never taken over less than this: a multipart job reports a part at a time, and a first part that
 * finishes a few milliseconds after the start (the bandwidth limiter's burst, say) would otherwise read as
 * hundreds of MB/s. Early on the rate is therefore low rather than high.
 */
export const MIN_SPAN_MS = 1000

interface Sample {
  at: number
  bytes: number
}

interface Track {
  size: number
  bytesDone: number
  /** Reports within the window, plus the last one before it (the window's baseline). */
  samples: Sample[]
}

/** Forgets the samples that left the window, but keeps the last one before it: the window's baseline. */
function trim(samples: Sample[], now: number): void {
  const from = now - WINDOW_MS
  while (samples.length > 1 && (samples[1]?.at ?? now) <= from) samples.shift()
}

/** Bytes per second between the window's baseline and the latest sample, over at least MIN_SPAN_MS. */
function rateOf(samples: Sample[], now: number): number {
  trim(samples, now)
  const base = samples[0]
  const last = samples.at(-1)
  if (!base || !last) return 0
  const span = Math.max(now - Math.max(base.at, now - WINDOW_MS), MIN_SPAN_MS)
  return ((last.bytes - base.bytes) * 1000) / span
}

/**
 * Byte counts of running jobs, turned into rates and ETAs over a sliding 5 s window, and handed out at most
 * every `intervalMs` (10 per second by default) however often the transfers report: the UI needs no more.
 * A job's first report is its baseline, not movement: a resumed multipart job starts at the bytes its stored
 * parts hold (upload-multipart.ts reports them at once). A paused job has no track (the queue frees it), so a
 * pause never enters a rate; a stalled job's rate falls to 0 as its last movement leaves the window.
 *
 * The overall rate is not the sum of the running jobs' rates: a small file is sent in one piece and done within
 * a second, so its job is gone before its rate means anything, and many small uploads summed to 0. It is taken
 * from one counter of all bytes moved (every report's step past the job's previous one), so uploads that ended
 * within the window still count.
 */
export function createProgressMeter(
  emit: (events: ProgressEvent[]) => void,
  intervalMs = 100,
  clock: () => number = () => performance.now(),
) {
  const tracks = new Map<number, Track>()
  const dirty = new Set<number>()
  let timer: NodeJS.Timeout | undefined
  /** All bytes moved by all jobs since the meter began, and its samples (as a job's). */
  let moved = 0
  let overallSamples: Sample[] = []
  /** When the last running job stopped (nothing runs since). */
  let idleSince = Number.NEGATIVE_INFINITY

  function eventOf(jobId: number, track: Track, now: number): ProgressEvent {
    const rate = rateOf(track.samples, now)
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
        // After a pause or an empty queue (not the moment between one job and the next), the overall window
        // starts again now, as a job's does: the idle time before it is no part of the rate.
        if (tracks.size === 0 && at - idleSince >= MIN_SPAN_MS) overallSamples = [{ at, bytes: moved }]
        track = { size, bytesDone, samples: [] }
        tracks.set(jobId, track)
      } else if (bytesDone > track.bytesDone) {
        // Only steps count as moved, never a job's first report (its baseline). A step back (a request sent
        // again) is not movement either; what is sent again after it is.
        moved += bytesDone - track.bytesDone
        overallSamples.push({ at, bytes: moved })
        trim(overallSamples, at)
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
      if (tracks.size === 0) idleSince = clock()
    },
    /**
     * The bytes all uploads moved over the window (those that ended within it too), and the time the running
     * ones need for what they still have to send at that rate.
     */
    overall(): { bytesPerSecond: number; etaSeconds?: number } {
      const now = clock()
      const rate = rateOf(overallSamples, now)
      let left = 0
      for (const track of tracks.values()) left += track.size - track.bytesDone
      return { bytesPerSecond: Math.round(rate), etaSeconds: rate > 0 ? Math.ceil(left / rate) : undefined }
    },
    /**
     * The upload limit changed: what moved under the old one says nothing of the new one (lowered from 2 MB/s to
     * 512 KB/s, the rate shown took 4 s to come down). Each rate keeps only its latest sample, so the next ones
     * are taken over what moves from now on (over at least MIN_SPAN_MS, as at a job's start).
     */
    restartRates(): void {
      for (const track of tracks.values()) track.samples = track.samples.slice(-1)
      overallSamples = overallSamples.slice(-1)
    },
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}

export type ProgressMeter = ReturnType<typeof createProgressMeter>
