import type { IpcError } from '../../../preload/contract/errors'
import type { SyncPairStatus } from '../../../preload/contract/sync-models'

/**
 * What a watched folder's status gives the app-wide status summary: the reasons the folder itself cannot sync
 * (missing, its sync state not saved on a full disk, deletions held by the mirror cap). Failed uploads of the
 * folder are named by the queue already, so they are not repeated here.
 */
export function folderProblem(status: SyncPairStatus): IpcError | undefined {
  if (!status.error) return undefined
  if (status.state === 'missing') return status.error
  return status.error.code === 'DISK_FULL' || status.error.code === 'DELETIONS_HELD'
    ? status.error
    : undefined
}
