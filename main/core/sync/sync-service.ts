import type { IpcError } from '../../../preload/contract/errors'
import type { Account } from '../../../preload/contract/models'
import type { Job } from '../../../preload/contract/queue-models'
import type {
  ActivityExtra,
  RemoteChanges,
  SyncPair,
  SyncPairInput,
  SyncPairStatus,
  SyncReport,
  TransientSync,
} from '../../../preload/contract/sync-models'
import { assertKmsKeyChosen } from '../encryption/kms-key-required'
import { AppError } from '../errors'
import type { StoredJob } from '../queue/job-store'
import { resolveStorageClass } from '../storage/storage-classes'
import { createPairRunner, type PairRunner, type PairRunnerDeps } from './pair-runner'
import { type PairStore, pairGone } from './pair-store'
import { compareWithRemote } from './remote-changes'
import { remoteIndex } from './remote-index'
import { transientPair } from './transient-pair'
import { assertWatchableFolder } from './watched-folder'

export interface SyncServiceDeps extends Omit<PairRunnerDeps, 'onStatus' | 'activity' | 'queue'> {
  queue: PairRunnerDeps['queue'] & {
    waitForPair(pairId: string, accountId: string): Promise<{ held?: IpcError }>
    failedFor(pairId: string): Job[]
  }
  pairs: PairStore
  onStatus: (status: SyncPairStatus) => void
  activity: (
    level: 'info' | 'warning' | 'error',
    message: string,
    syncPairId?: string,
    extra?: ActivityExtra,
  ) => void
  onJobFinished: (listener: (job: StoredJob, outcome: 'done' | 'failed' | 'cancelled') => void) => () => void
  /** The account's settings (no secret needed), to check a folder's encryption rule before it is saved. */
  accountOf: (accountId: string) => Promise<Account>
}

/** The watched folders: their settings (pair store) and a running watcher + reconciler for each active one. */
export function createSyncService(deps: SyncServiceDeps) {
  const runners = new Map<string, PairRunner>()
  const statuses = new Map<string, SyncPairStatus>()
  const transient = new Map<string, SyncPair>()

  function runnerFor(pair: SyncPair): PairRunner {
    return createPairRunner(pair, {
      ...deps,
      activity: (level, message, extra) => deps.activity(level, message, pair.id, extra),
      onStatus: (status) => {
        statuses.set(pair.id, status)
        deps.onStatus(status)
      },
    })
  }

  async function startPair(pair: SyncPair): Promise<void> {
    if (pair.paused || runners.has(pair.id)) return
    const runner = runnerFor(pair)
    runners.set(pair.id, runner)
    await runner.start()
  }

  async function stopPair(id: string): Promise<void> {
    const runner = runners.get(id)
    runners.delete(id)
    await runner?.stop()
  }

  const unsubscribe = deps.onJobFinished((job, outcome) => {
    if (!job.syncPairId) return
    if (outcome === 'done') runners.get(job.syncPairId)?.recordUpload(job)
    else runners.get(job.syncPairId)?.jobEnded()
  })

  /** A folder's storage class is stored as the S3 id; a name the provider does not have is refused on save. */
  async function withStorageClass(input: SyncPairInput): Promise<SyncPairInput> {
    if (!input.storageClass) return { ...input, storageClass: undefined }
    const { account } = await deps.client(input.accountId)
    return { ...input, storageClass: resolveStorageClass(account.provider, input.storageClass) }
  }

  /** A rule that would fail every upload of the folder is refused when the folder is saved or run. */
  async function checkRule(input: Pick<SyncPairInput, 'accountId' | 'encryption'>): Promise<void> {
    assertKmsKeyChosen(input.encryption, await deps.accountOf(input.accountId))
  }

  /**
   * A folder synced without being saved as a watched folder: one reconcile pass, or a pass and then watching
   * until stopped. Its uploads are recorded in the state DB like any pair's.
   */
  async function runTransient(
    pair: SyncPair,
    options: { watch: boolean; confirmDeletes?: boolean },
  ): Promise<PairRunner> {
    await assertWatchableFolder(pair.localPath)
    await checkRule(pair)
    const runner = runners.get(pair.id) ?? runnerFor(pair)
    runners.set(pair.id, runner)
    transient.set(pair.id, pair)
    if (options.confirmDeletes) runner.confirmDeletions()
    if (options.watch) await runner.start()
    else await runner.reconcile()
    return runner
  }

  function statusOf(pair: SyncPair): SyncPairStatus {
    if (pair.paused) return { id: pair.id, state: 'paused', pendingFiles: deps.queue.pendingFor(pair.id) }
    return statuses.get(pair.id) ?? { id: pair.id, state: 'idle', pendingFiles: 0 }
  }

  return {
    /** Starts every watched folder that is not paused (each does a catch-up reconcile first). */
    async startAll(): Promise<void> {
      for (const pair of await deps.pairs.list()) await startPair(pair)
    },
    async list() {
      return (await deps.pairs.list()).map((pair) => ({ pair, status: statusOf(pair) }))
    },
    async add(input: SyncPairInput): Promise<SyncPair> {
      await assertWatchableFolder(input.localPath)
      await checkRule(input)
      const pair = await deps.pairs.add(await withStorageClass(input))
      await startPair(pair)
      return pair
    },
    async update(id: string, input: SyncPairInput): Promise<SyncPair> {
      await assertWatchableFolder(input.localPath)
      await checkRule(input)
      await stopPair(id)
      const pair = await deps.pairs.update(id, await withStorageClass(input))
      await startPair(pair)
      return pair
    },
    async pause(id: string): Promise<void> {
      await stopPair(id)
      const pair = await deps.pairs.setPaused(id, true)
      deps.onStatus(statusOf(pair))
    },
    async resume(id: string): Promise<void> {
      const pair = await deps.pairs.setPaused(id, false)
      await startPair(pair)
    },
    async remove(id: string): Promise<void> {
      await stopPair(id)
      await deps.pairs.remove(id)
      deps.state.forgetPair(id)
      statuses.delete(id)
    },
    async runTransient(pair: SyncPair, options: { watch: boolean; confirmDeletes?: boolean }): Promise<void> {
      await runTransient(pair, options)
    },
    /**
     * One pass over a folder not saved as a watched folder (`obs-sync sync`): its uploads are recorded in the
     * state DB like any pair's. Answers when they are done, or held by their account (with the reason).
     */
    async runOnce(input: TransientSync): Promise<SyncReport> {
      const pair = transientPair(input)
      const runner = await runTransient(pair, { watch: false, confirmDeletes: input.confirmDeletes })
      const { held } = await deps.queue.waitForPair(pair.id, pair.accountId)
      // Listing a large bucket costs more than the pass itself: the remote report is asked for.
      const remote = input.checkRemote ? await this.remoteChanges(pair.id) : { changed: [], deleted: [] }
      return {
        pairId: pair.id,
        folder: pair.localPath,
        failed: deps.queue.failedFor(pair.id),
        problems: runner.problems,
        deletionsHeld: runner.deletionsHeld,
        remote,
        held,
      }
    },
    /** Watches a folder not saved as a watched folder (`obs-sync watch`), after a catch-up pass, until stopped. */
    async watch(input: TransientSync): Promise<SyncPair> {
      const pair = transientPair(input)
      await runTransient(pair, { watch: true, confirmDeletes: input.confirmDeletes })
      return pair
    },
    /** What the last pass of a folder refused to do or could not do (mirror cap, unreadable entries). */
    problems(id: string): string[] {
      return runners.get(id)?.problems ?? []
    },
    async remoteChanges(id: string): Promise<RemoteChanges> {
      const pair = (await deps.pairs.list()).find((p) => p.id === id) ?? transient.get(id)
      if (!pair) throw pairGone(id)
      const connection = await deps.client(pair.accountId)
      return compareWithRemote(pair, deps.state, await remoteIndex(connection, pair.bucket, pair.prefix))
    },
    /** The user confirmed a mass deletion held by the mirror cap: run the pass that performs it now. */
    async confirmAndReconcile(id: string): Promise<void> {
      const runner = runners.get(id)
      if (!runner)
        throw new AppError('NOT_FOUND', 'That watched folder is not running (resume it first).', {
          params: { cause: 'pairNotRunning' },
        })
      runner.confirmDeletions()
      await runner.reconcile()
    },
    async stopAll(): Promise<void> {
      unsubscribe()
      await Promise.all([...runners.keys()].map(stopPair))
    },
  }
}

export type SyncService = ReturnType<typeof createSyncService>
