import { join } from 'node:path'
import { createPairStore } from '../../main/core/sync/pair-store'
import { openStateDb } from '../../main/core/sync/state-db'
import { createSyncService } from '../../main/core/sync/sync-service'
import type { Activity, SyncPairInput, SyncPairStatus } from '../../preload/contract/sync-models'

/**
 * The sync service of a data folder with no storage behind it: for watched folders whose passes need no
 * connection (nothing to upload). Collects the pairs' statuses and activity lines (with their data).
 */
export function offlineSyncService(dataDir: string) {
  const statuses: SyncPairStatus[] = []
  const activity: Activity[] = []
  const state = openStateDb(join(dataDir, 'state.db'))
  const sync = createSyncService({
    pairs: createPairStore(dataDir),
    client: async () => {
      throw new Error('no connection needed')
    },
    queue: { pendingFor: () => 0, failureSummaryFor: () => undefined } as never,
    state,
    settleMs: 50,
    activity: (level, message, syncPairId, extra) =>
      activity.push({ at: new Date().toISOString(), level, message, syncPairId, ...extra }),
    onStatus: (status) => statuses.push(status),
    onJobFinished: () => () => {},
    accountOf: async () => ({ id: 'acc', provider: 'generic' }) as never,
  })
  async function close() {
    await sync.stopAll()
    state.close()
  }
  return { sync, statuses, activity, close }
}

/** A watched folder of `localPath` for offlineSyncService: upload-only to bucket b of account acc. */
export function offlinePairInput(localPath: string): SyncPairInput {
  return {
    localPath,
    accountId: 'acc',
    bucket: 'b',
    prefix: '',
    encryption: { mode: 'none' },
    mode: 'upload-only',
    mirrorDeleteCapPercent: 20,
  }
}
