import type { JobState, StatusSummary } from '../../../preload/contract/queue-models'

export interface StatusInputs {
  counts: Record<JobState, number>
  pausedByUser: boolean
  pausedAccounts: number
  offlineSince?: string
  offlineReason?: string
  /** The earliest retry time of a waiting job (ms since the epoch). */
  nextRetryAt?: number
  lastSyncAt?: string
  bytesPerSecond: number
  etaSeconds?: number
  watchedFolders: StatusSummary['watchedFolders']
}

/**
 * The one-glance state for the tray and the status bar. Order matters: a user's pause wins, then being
 * offline (retrying), then work in progress, then failures needing attention, else idle.
 */
export function summarizeStatus(inputs: StatusInputs): StatusSummary {
  const { counts } = inputs
  const busy = counts.running + counts.queued > 0
  const state = inputs.pausedByUser
    ? 'paused'
    : inputs.offlineSince && busy
      ? 'offline'
      : inputs.pausedAccounts > 0 || (!busy && counts.failed > 0)
        ? 'error'
        : busy
          ? 'syncing'
          : 'idle'
  const offline = state === 'offline'
  return {
    state,
    running: counts.running,
    queued: counts.queued,
    paused: counts.paused,
    failed: counts.failed,
    bytesPerSecond: inputs.bytesPerSecond,
    etaSeconds: inputs.etaSeconds,
    pausedByUser: inputs.pausedByUser,
    offlineSince: busy ? inputs.offlineSince : undefined,
    retryAt: offline && inputs.nextRetryAt ? new Date(inputs.nextRetryAt).toISOString() : undefined,
    offlineReason: offline ? inputs.offlineReason : undefined,
    lastSyncAt: inputs.lastSyncAt,
    watchedFolders: inputs.watchedFolders,
  }
}
