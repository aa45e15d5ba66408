import type { BandwidthLimitState } from '../../../preload/contract/queue-settings'
import type { BandwidthLimiter } from './bandwidth-limiter'
import type { QueueSettings } from './queue-settings'

const KiB = 1024

/**
 * The user's upload rate limit at run time: read and changed through the contract (`queue:bandwidth-limit`,
 * `queue:set-bandwidth-limit`), saved in the queue's settings and applied to the running uploads at once (from
 * their next piece: the limiter is shared, see bandwidth-limiter.ts). A run started with `--bandwidth` uses the
 * flag's value until the user sets one (their latest word wins, and is saved), as the request limit does.
 */
export function createBandwidthLimit(deps: {
  settings: Pick<QueueSettings, 'bandwidthLimit' | 'setBandwidthLimit'>
  limiter: BandwidthLimiter
  /** This run's `--bandwidth`, if given. */
  fromCommandLine: boolean
  /** The request limit follows the rate limit (transfer-slots.ts): the scheduler looks again. */
  schedule: () => void
  /** The progress meter's rates start again: what moved under the old limit says nothing of the new one. */
  restartRates: () => void
}) {
  let fromCommandLine = deps.fromCommandLine
  function current(): BandwidthLimitState {
    const bytes = deps.limiter.limit()
    return {
      kibPerSecond: bytes > 0 ? Math.round(bytes / KiB) : null,
      saved: deps.settings.bandwidthLimit(),
      fromCommandLine,
    }
  }
  /** Applies a limit in KiB/s (null: none) to the uploads running and to come. */
  function adopt(kibPerSecond: number | null): void {
    const before = deps.limiter.limit()
    deps.limiter.setLimit(kibPerSecond === null ? 0 : kibPerSecond * KiB)
    fromCommandLine = false
    if (deps.limiter.limit() !== before) deps.restartRates()
    deps.schedule()
  }
  return {
    bandwidthLimit: current,
    /** Saves the limit and applies it. */
    setBandwidthLimit(kibPerSecond: number | null): BandwidthLimitState {
      deps.settings.setBandwidthLimit(kibPerSecond)
      adopt(kibPerSecond)
      return current()
    },
    /** A limit saved by another process on this data folder (`obs-sync settings`), applied as if set here. */
    adopt,
  }
}

export type BandwidthLimit = ReturnType<typeof createBandwidthLimit>
