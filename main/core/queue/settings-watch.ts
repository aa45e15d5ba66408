import type { QueueSettingsEvent } from '../../../preload/contract/queue-settings'
import type { BandwidthLimit } from './bandwidth-limit'
import type { QueueSettings } from './queue-settings'
import type { RequestLimit } from './request-limit'

/** How often the running queue looks for settings saved by another process (a cheap PRAGMA, no file read). */
export const SETTINGS_WATCH_MS = 1000

/**
 * Tells the process that runs the queue when another process on the same data folder committed to the queue DB
 * (`obs-sync settings --request-limit 8` or `--bandwidth-limit 512` while `serve` or the desktop app runs), so that the running queue obeys
 * the saved setting at once instead of at its next start. SQLite's data_version answers without reading the DB:
 * polling it is simpler and sturdier than a channel between processes, and a second is soon enough for a setting.
 */
export function watchSettings(deps: {
  /** SQLite's data_version of the queue DB (queue-settings.ts `writtenElsewhere`). */
  version: () => number
  /** Another process wrote: re-read the settings. */
  changed: () => void
  everyMs?: number
}): () => void {
  let seen = deps.version()
  const timer = setInterval(() => {
    const now = deps.version()
    if (now === seen) return
    seen = now
    deps.changed()
  }, deps.everyMs ?? SETTINGS_WATCH_MS)
  timer.unref?.()
  return () => clearInterval(timer)
}

/**
 * The queue's settings while it runs: every change, made here (`queue:set-request-limit`, `queue:set-bandwidth-limit`,
 * `queue:set-keep-done-days`) or saved by another process, is applied (request limit to the slots, rate limit to
 * the limiter, keep-days by pruning) and announced once as `queue:settings`, so that every open Transfers view
 * follows.
 */
export function createLiveSettings(deps: {
  settings: Pick<QueueSettings, 'requestLimit' | 'bandwidthLimit' | 'writtenElsewhere'>
  keepDoneDays: () => number
  requestLimit: Pick<RequestLimit, 'requestLimit' | 'adopt'>
  bandwidthLimit: Pick<BandwidthLimit, 'bandwidthLimit' | 'adopt'>
  /** Moves done jobs past the kept age to the history. */
  prune: () => void
  emit?: (settings: QueueSettingsEvent) => void
  everyMs?: number
}) {
  const saved = () => ({
    requests: deps.settings.requestLimit(),
    kibPerSecond: deps.settings.bandwidthLimit(),
    days: deps.keepDoneDays(),
  })
  let known = saved()
  let stopWatch: (() => void) | undefined

  function publish(): void {
    known = saved()
    deps.emit?.({
      requestLimit: deps.requestLimit.requestLimit(),
      bandwidthLimit: deps.bandwidthLimit.bandwidthLimit(),
      keepDoneDays: known.days,
    })
  }

  function savedElsewhere(): void {
    const now = saved()
    if (now.requests === known.requests && now.kibPerSecond === known.kibPerSecond && now.days === known.days)
      return
    // The user's latest word wins, also over this run's --concurrency / --bandwidth (as when set in this process).
    if (now.requests !== known.requests) deps.requestLimit.adopt(now.requests)
    if (now.kibPerSecond !== known.kibPerSecond) deps.bandwidthLimit.adopt(now.kibPerSecond)
    if (now.days !== known.days) deps.prune()
    publish()
  }

  return {
    publish,
    start(): void {
      known = saved()
      stopWatch ??= watchSettings({
        version: deps.settings.writtenElsewhere,
        changed: savedElsewhere,
        everyMs: deps.everyMs,
      })
    },
    stop(): void {
      stopWatch?.()
      stopWatch = undefined
    },
  }
}
