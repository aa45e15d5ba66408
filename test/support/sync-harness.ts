import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPairStore } from '../../main/core/sync/pair-store'
import { openStateDb } from '../../main/core/sync/state-db'
import { createSyncService } from '../../main/core/sync/sync-service'
import type { Activity, SyncPairInput, SyncPairStatus } from '../../preload/contract/sync-models'
import { createQueueHarness, type QueueHarness } from './queue-harness'
import type { RgwEnv } from './services'

export interface SyncHarness extends QueueHarness {
  sync: ReturnType<typeof createSyncService>
  state: ReturnType<typeof openStateDb>
  activity: Activity[]
  /** Every status a watched folder reported, in order. */
  pairStatuses: SyncPairStatus[]
  dataDir: string
  pairInput(localPath: string, bucket: string, overrides?: Partial<SyncPairInput>): SyncPairInput
  close(): Promise<void>
}

/** Real watcher, real queue, real state DB, on temp folders, against the harness RGW. */
export async function createSyncHarness(
  rgw: RgwEnv,
  /** `stateDbPath`: the state DB somewhere else than the data folder (a disk of its own, say). */
  options: { settleMs?: number; dataDir?: string; stateDbPath?: string } = {},
): Promise<SyncHarness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'obs-sync-sync-home-')))
  const q = await createQueueHarness(rgw, { dbPath: join(dataDir, 'queue.db'), concurrency: 8 })
  const activity: Activity[] = []
  // As the app does: a damaged state DB is set aside and the user told (here: an activity line).
  const state = openStateDb(options.stateDbPath ?? join(dataDir, 'state.db'), {
    onSetAside: (message, extra) =>
      activity.push({ at: new Date().toISOString(), level: 'error', message, ...extra }),
  })
  const pairStatuses: SyncPairStatus[] = []
  const sync = createSyncService({
    pairs: createPairStore(dataDir),
    client: () => q.client(),
    queue: q.queue,
    state,
    settleMs: options.settleMs ?? 400,
    activity: (level, message, syncPairId, extra) =>
      activity.push({ at: new Date().toISOString(), level, message, syncPairId, ...extra }),
    onStatus: (status) => pairStatuses.push(status),
    onJobFinished: (listener) => q.queue.onFinished(listener),
    accountOf: async () => q.account,
  })
  q.queue.start()
  return {
    ...q,
    sync,
    state,
    activity,
    pairStatuses,
    dataDir,
    pairInput: (localPath, bucket, overrides = {}) => ({
      localPath,
      accountId: q.account.id,
      bucket,
      prefix: 'sync/',
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
      mode: 'upload-only',
      mirrorDeleteCapPercent: 20,
      ...overrides,
    }),
    async close() {
      await sync.stopAll()
      await q.queue.stop()
      state.close()
    },
  }
}
