import type { RequestLimitState } from '../../../preload/contract/queue-settings'
import type { QueueSettings } from './queue-settings'
import type { SlotRule } from './transfer-slots'

/**
 * The user's request limit at run time: read and changed through the contract (`queue:request-limit`,
 * `queue:set-request-limit`), saved in the queue's settings and applied to the running queue at once. A run started
 * with `--concurrency` uses the flag's value until the user sets one (their latest word wins, and is saved).
 */
export function createRequestLimit(deps: {
  settings: QueueSettings
  slots: SlotRule
  /** This run's `--concurrency`, if given. */
  fromCommandLine: boolean
  /** Starts what the new limit allows (nothing while the queue is stopped). */
  schedule: () => void
}) {
  let fromCommandLine = deps.fromCommandLine
  function current(): RequestLimitState {
    return { requests: deps.slots.userLimit(), saved: deps.settings.requestLimit(), fromCommandLine }
  }
  /** Applies a limit: new requests obey it, requests in flight finish. */
  function adopt(requests: number): void {
    deps.slots.setUserLimit(requests)
    fromCommandLine = false
    deps.schedule()
  }
  return {
    requestLimit: current,
    /** Saves the limit and applies it. */
    setRequestLimit(requests: number): RequestLimitState {
      deps.settings.setRequestLimit(requests)
      adopt(requests)
      return current()
    },
    /** A limit saved by another process on this data folder (`obs-sync settings`), applied as if set here. */
    adopt,
  }
}

export type RequestLimit = ReturnType<typeof createRequestLimit>
