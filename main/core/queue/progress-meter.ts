import type { ProgressEvent } from '../../../preload/contract/queue-models'

const WINDOW_MS = 5000

interface Track {
  size: number
  bytesDone: number
  samples: { at: number; bytes: number }[]
}

/**
 * Byte counts of running jobs, turned into rates and ETAs over a sliding 5 s window, and handed out at most
 * every `intervalMs` (10 per second by default) however often the transfers report: the UI needs no more.
 */
export function createProgressMeter(
  emit: (events: ProgressEvent[]) => void,
  intervalMs = 100,
  clock: () => number = () => performance.now(),
) {
  const tracks = new Map<number, Track>()
  const dirty = new Set<number>()
  let timer: NodeJS.Timeout | undefined

  function rateOf(track: Track): number {
    const first = track.samples[0]
    const last = track.samples.at(-1)
    if (!first || !last || last.at === first.at) return 0
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at)
  }

  function eventOf(jobId: number, track: Track): ProgressEvent {
    const rate = rateOf(track)
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
    const batch: ProgressEvent[] = []
    for (const id of dirty) {
      const track = tracks.get(id)
      if (track) batch.push(eventOf(id, track))
    }
    dirty.clear()
    if (batch.length > 0) emit(batch)
  }

  return {
    report(jobId: number, bytesDone: number, size: number): void {
      const at = clock()
      let track = tracks.get(jobId)
      if (!track) {
        track = { size, bytesDone: 0, samples: [] }
        tracks.set(jobId, track)
      }
      track.size = size
      track.bytesDone = bytesDone
      track.samples.push({ at, bytes: bytesDone })
      while (track.samples.length > 2 && (track.samples[0]?.at ?? at) < at - WINDOW_MS) track.samples.shift()
      dirty.add(jobId)
      timer ??= setTimeout(flush, intervalMs)
    },
    finish(jobId: number): void {
      tracks.delete(jobId)
      dirty.delete(jobId)
    },
    /** Sum of the current rates of all running jobs, and the overall ETA. */
    overall(): { bytesPerSecond: number; etaSeconds?: number } {
      let rate = 0
      let left = 0
      for (const track of tracks.values()) {
        rate += rateOf(track)
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
