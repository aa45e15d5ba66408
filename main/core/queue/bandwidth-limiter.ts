/**
 * A token bucket shared by all transfers: `take(bytes)` resolves when the bytes may be sent. One second of burst
 * keeps the link busy without exceeding the average. A limit of 0 means unlimited.
 */
export interface BandwidthLimiter {
  take(bytes: number, signal?: AbortSignal): Promise<void>
  setLimit(bytesPerSecond: number): void
  /** The limit now, in bytes per second (0: unlimited). */
  limit(): number
}

export function createBandwidthLimiter(
  bytesPerSecond = 0,
  clock: () => number = () => performance.now(),
  sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
): BandwidthLimiter {
  let limit = bytesPerSecond
  let tokens = limit
  let last = clock()

  function refill(): void {
    const now = clock()
    tokens = Math.min(limit, tokens + ((now - last) / 1000) * limit)
    last = now
  }

  return {
    async take(bytes, signal) {
      let remaining = bytes
      while (limit > 0 && remaining > 0) {
        refill()
        const granted = Math.min(remaining, Math.max(0, tokens))
        tokens -= granted
        remaining -= granted
        if (remaining > 0) await sleep((Math.min(remaining, limit) / limit) * 1000, signal)
      }
    },
    setLimit(value) {
      // The tokens saved so far carry over (at most the new limit's second of burst): a fresh full burst at each
      // change let ~2 s of the new limit through in the first second after the user raised it, and a limit set
      // while nothing was limited starts empty, so it holds from the first byte.
      if (limit > 0) refill()
      else tokens = 0
      limit = Math.max(0, value)
      tokens = Math.min(tokens, limit)
      last = clock()
    },
    limit: () => limit,
  }
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first; leaves no listener on the signal. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    // A long throttled upload sleeps thousands of times on its job's one signal: each wait takes its listener
    // away again, or they pile up for the whole upload.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
