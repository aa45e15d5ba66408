import { type StatusSummary, statusSummarySchema } from '../../preload/contract/queue-models'
import type { EventBus } from '../core/events/event-bus'
import type { Dispatch } from '../ipc/dispatch'
import type { EventMap } from '../services'

/** What the tray shows before the first summary arrives (or while the queue service does not exist yet). */
export const EMPTY_STATUS: StatusSummary = {
  state: 'idle',
  running: 0,
  queued: 0,
  paused: 0,
  failed: 0,
  bytesPerSecond: 0,
  pausedByUser: false,
  causes: [],
  watchedFolders: [],
}

/**
 * Hands every status summary to `onStatus`: the current one once (asked through the contract's
 * `status:get`, so the tray depends on no service internals), then each `status:changed`. A pushed summary
 * is newer than the answer to a question asked earlier, so once one has arrived the answer is ignored.
 */
export function watchStatus(deps: {
  dispatch: Dispatch
  bus: Pick<EventBus<EventMap>, 'on'>
  onStatus(status: StatusSummary): void
  log?: (message: string) => void
}): () => void {
  let pushed = false
  const off = deps.bus.on('status:changed', (status) => {
    pushed = true
    deps.onStatus(status)
  })
  void deps.dispatch('status:get', []).then((result) => {
    if (pushed) return
    const parsed = result.ok ? statusSummarySchema.safeParse(result.value) : undefined
    if (parsed?.success) deps.onStatus(parsed.data)
    else
      deps.log?.(
        `The tray could not read the status: ${result.ok ? 'unexpected shape' : result.error.message}`,
      )
  })
  return off
}
