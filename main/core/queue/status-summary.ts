import type { IpcError } from '../../../preload/contract/errors'
import type { JobState, StatusSummary } from '../../../preload/contract/queue-models'
import type { StatusCause } from '../../../preload/contract/status-causes'

export interface StatusInputs {
  counts: Record<JobState, number>
  pausedByUser: boolean
  /** Accounts whose jobs are held until the user fixes them (bad credentials, keychain, certificate, clock). */
  heldAccounts: readonly { accountId: string; reason: IpcError }[]
  offlineSince?: string
  /** Why the last attempt failed while offline (its code and message). */
  offlineError?: IpcError
  /** Set while the upload queue cannot save its state (a full disk). */
  diskFull?: IpcError
  /** Why uploads failed or were held with their batch, with how many, latest cause first. */
  failures?: readonly StatusCause[]
  /** The earliest retry time of a waiting job (ms since the epoch). */
  nextRetryAt?: number
  lastSyncAt?: string
  bytesPerSecond: number
  etaSeconds?: number
  watchedFolders: StatusSummary['watchedFolders']
}

/**
 * The one-glance state for the tray and the status bar. Order matters: a user's pause wins, then being
 * offline (retrying), then a full disk or a held account (nothing of it can move), then work in progress,
 * then failures and watched folders needing attention, else idle.
 */
export function summarizeStatus(inputs: StatusInputs): StatusSummary {
  const { counts } = inputs
  const busy = counts.running + counts.queued > 0
  const folderProblems = inputs.watchedFolders.filter((f) => f.problem)
  const blocked = inputs.heldAccounts.length > 0 || inputs.diskFull !== undefined
  // Uploads held with a failed batch are failures too, also once the failed one was cleared or retried.
  const failureCauses = inputs.failures?.length ?? 0
  const state = inputs.pausedByUser
    ? 'paused'
    : inputs.offlineSince && busy
      ? 'offline'
      : blocked || (!busy && (counts.failed > 0 || failureCauses > 0 || folderProblems.length > 0))
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
    offlineReason: offline ? inputs.offlineError?.message : undefined,
    lastSyncAt: inputs.lastSyncAt,
    causes: namedCauses(inputs, offline),
    watchedFolders: inputs.watchedFolders,
  }
}

/**
 * Every cause, most urgent first, each once: a full disk (the queue's or a folder's sync state), the network,
 * held accounts, watched folders that cannot sync, then the reasons uploads failed.
 */
function namedCauses(inputs: StatusInputs, offline: boolean): StatusCause[] {
  const folderCauses = inputs.watchedFolders.flatMap((f) =>
    f.problem ? [{ ...f.problem, folder: f.localPath }] : [],
  )
  const isDiskFull = (cause: StatusCause) => cause.code === 'DISK_FULL'
  const all: StatusCause[] = [
    ...(inputs.diskFull ? [inputs.diskFull] : []),
    ...folderCauses.filter(isDiskFull),
    ...(offline && inputs.offlineError ? [inputs.offlineError] : []),
    ...inputs.heldAccounts.map((held) => held.reason),
    ...folderCauses.filter((cause) => !isDiskFull(cause)),
    ...(inputs.failures ?? []),
  ]
  const seen = new Set<string>()
  return all.filter((cause) => {
    const key = `${cause.code}\u0000${cause.message}\u0000${cause.folder ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
