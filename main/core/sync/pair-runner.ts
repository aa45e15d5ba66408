import type { S3Client } from '@aws-sdk/client-s3'
import type { IpcError } from '../../../preload/contract/errors'
import type { Account } from '../../../preload/contract/models'
import type { SyncPair, SyncPairStatus } from '../../../preload/contract/sync-models'
import { AppError, toIpcError } from '../errors'
import type { StoredJob } from '../queue/job-store'
import type { ControlConnection } from '../storage/s3-client'
import { type ApplyDeps, createPlanApplier } from './apply-plan'
import { createMissingFolderGuard, PRESENCE_CHECK_MS } from './folder-presence'
import { createIgnoreRules } from './ignore-rules'
import { type Connect, createPassPlanner, toRel, type WatchedChange } from './plan-pass'
import { createSettleAggregator } from './settle-aggregator'
import { createSkipReporter } from './skip-reporter'
import { createStateRecorder } from './state-recorder'
import { createUploadedFolders } from './uploaded-folders'
import { watchFolder } from './watch-folder'

export interface PairRunnerDeps extends ApplyDeps {
  client: (accountId: string) => Promise<{ account: Account } & ControlConnection>
  queue: ApplyDeps['queue'] & {
    pendingFor(pairId: string): number
    failureSummaryFor(pairId: string): { count: number; error: IpcError } | undefined
  }
  settleMs: number
  /** How often a watched folder is checked for being there (default PRESENCE_CHECK_MS). */
  presenceCheckMs?: number
  onStatus: (status: SyncPairStatus) => void
  now?: () => Date
}

const STATUS_REFRESH_MS = 250

/**
 * Keeps one watched folder in step with its bucket/prefix: a full reconcile at start (catching up what changed
 * while the app was off), then a watcher whose settled events go through the same per-file decision
 * (plan-file.ts). Uploads go through the durable queue (apply-plan.ts); what was uploaded is recorded in the
 * state DB when the queue reports it done.
 */
export function createPairRunner(pair: SyncPair, deps: PairRunnerDeps) {
  const skips = createSkipReporter(deps.activity)
  const rules = createIgnoreRules(pair.localPath, skips.report)
  const apply = createPlanApplier(pair, deps)
  const planner = createPassPlanner(pair, {
    ...deps,
    rules,
    skips,
    encryptionMatches: apply.encryptionMatches,
  })
  const uploadedFolders = createUploadedFolders(pair.id, deps.state)
  let watcher: { close(): Promise<void> } | undefined
  let status: SyncPairStatus = { id: pair.id, state: 'idle', pendingFiles: 0 }
  /** What the last pass refused to do (deletions over the mirror cap), with the counts a window words. */
  let problems: IpcError[] = []
  let reconciling = false
  const aggregator = createSettleAggregator(deps.settleMs, (batch) => void handleBatch(batch))
  const presence = createMissingFolderGuard(pair.localPath, {
    warn: (message, error) => deps.activity('warning', message, { error }),
    showMissing: (error) => setStatus({ state: 'missing', error }),
  })
  const folderMissing = presence.missing
  /** A pass asked for while the folder is missing (the one-pass CLI, a confirmed deletion) fails with why. */
  const missingError = () =>
    new AppError(
      'FOLDER_MISSING',
      status.error?.message ?? `The watched folder ${pair.localPath} is missing.`,
      {
        params: status.error?.params ?? { cause: 'folderMissing', folder: pair.localPath },
      },
    )
  let presenceTimer: NodeJS.Timeout | undefined

  /** Set while the state DB's disk is full: uploads go on, their records wait (state-recorder.ts). */
  let stateFull: IpcError | undefined
  const recorder = createStateRecorder(deps.state, {
    diskFull: (full) => {
      const folder = pair.localPath
      stateFull = full
        ? {
            code: 'DISK_FULL',
            message: `The disk is full: the sync state of ${folder} (what was uploaded) cannot be saved. Uploads go on; free some space and it is saved by itself.`,
            params: { cause: 'stateDiskFull', folder },
          }
        : undefined
      // Worded as its error (errorCauses.stateDiskFull), in the folder's status and the activity log alike.
      if (stateFull) deps.activity('error', stateFull.message, { error: stateFull })
      else
        deps.activity('info', `The sync state of ${folder} is saved again.`, {
          line: { kind: 'state-saved', params: { folder } },
        })
      setStatus({})
    },
    failed: (error) => {
      const reason = toIpcError(error)
      deps.activity('error', `An upload from ${pair.localPath} could not be recorded: ${reason.message}`, {
        line: { kind: 'record-failed', params: { folder: pair.localPath } },
        error: reason,
      })
    },
  })

  /**
   * A folder whose uploads failed is not "up to date": while failed jobs of the folder remain in the queue, an
   * otherwise quiet folder shows the latest failure's reason (the queue is the truth: retried, cancelled or
   * cleared jobs stop counting). A scan error or held deletions, said by the runner itself, come first; a
   * sync state that cannot be saved (full disk) comes before failures.
   */
  function shown(raw: SyncPairStatus): SyncPairStatus {
    if (raw.state !== 'idle' && raw.state !== 'syncing') return raw
    if (stateFull) return { ...raw, state: 'error', error: stateFull }
    const failed = deps.queue.failureSummaryFor(pair.id)
    if (!failed) return raw
    const files = failed.count === 1 ? '1 file' : `${failed.count} files`
    return {
      ...raw,
      state: 'error',
      error: { ...failed.error, message: `${files} could not be uploaded: ${failed.error.message}` },
    }
  }

  function setStatus(patch: Partial<SyncPairStatus>): void {
    const queued = deps.queue.pendingFor(pair.id)
    status = { ...status, ...patch, pendingFiles: queued + aggregator.pendingCount() }
    deps.onStatus(shown(status))
    if (queued === 0 && !reconciling && recorder.waiting === 0) rememberFolders()
  }

  /** Folder signatures only speed up the next restart: one that cannot be written (a full disk) is skipped. */
  function rememberFolders(): void {
    try {
      uploadedFolders.rememberInSync()
    } catch {
      uploadedFolders.forget()
    }
  }

  let refreshTimer: NodeJS.Timeout | undefined
  /**
   * For frequent, minor changes (each watcher event, each finished upload): the status is published at most
   * every STATUS_REFRESH_MS. Counting the pair's pending jobs once per finished upload cost more CPU than the
   * upload itself with 100,000 jobs queued.
   */
  function setStatusSoon(patch: Partial<SyncPairStatus>): void {
    status = { ...status, ...patch }
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined
      setStatus({})
    }, STATUS_REFRESH_MS)
  }

  /** Local deletions: mirror mode deletes the remote copies (within the safety cap); upload-only keeps them. */
  async function applyDeletions(relPaths: string[], connect: () => Promise<{ s3: S3Client }>): Promise<void> {
    if (relPaths.length === 0) return
    if (pair.mode !== 'mirror') {
      deps.state.markGone(pair.id, relPaths)
      return
    }
    const refused = apply.deletionRefusal(relPaths.length)
    if (refused) {
      problems.push(refused)
      deps.activity('warning', refused.message, { error: refused })
      setStatus({ heldDeletions: relPaths.length })
      return
    }
    setStatus({ heldDeletions: undefined })
    await apply.deleteRemote(relPaths, (await connect()).s3)
  }

  /** The account's client, fetched once and only when needed (reading the keychain costs a D-Bus round trip). */
  function lazyConnection(): Connect {
    let connection: ReturnType<PairRunnerDeps['client']> | undefined
    return () => {
      connection ??= deps.client(pair.accountId)
      return connection
    }
  }

  /** Watch first, then scan: a change during the scan is then seen by one or the other, never by neither. */
  async function watchAndReconcile(): Promise<void> {
    try {
      if (folderMissing()) return
      watcher = await watchFolder(pair.localPath, rules, (absPath) => {
        aggregator.touch(toRel(pair.localPath, absPath), absPath)
        setStatusSoon({})
      })
      await reconcile()
    } catch (error) {
      if (folderMissing()) return
      const ipcError = toIpcError(error)
      deps.activity('error', ipcError.message, { error: ipcError })
      setStatus({ state: 'error', error: ipcError })
    }
  }

  /**
   * While watching: a folder that goes missing stops its watcher (an unmount gives no event, hence the timer);
   * when it is back, watching and a full catch-up pass start again.
   */
  function checkPresence(): void {
    const change = presence.poll()
    if (change === 'back') {
      deps.activity('info', `The watched folder ${pair.localPath} is back: syncing again.`, {
        line: { kind: 'folder-back', params: { folder: pair.localPath } },
      })
      void watchAndReconcile()
    } else if (change === 'gone') {
      const closing = watcher
      watcher = undefined
      void closing?.close()
    }
  }

  async function reconcile(): Promise<void> {
    reconciling = true
    try {
      await reconcilePass()
    } finally {
      reconciling = false
    }
    // Everything may already be uploaded (a small pass): then no later status change would do it.
    if (deps.queue.pendingFor(pair.id) === 0 && recorder.waiting === 0) rememberFolders()
  }

  async function reconcilePass(): Promise<void> {
    problems = []
    if (folderMissing()) throw missingError()
    uploadedFolders.forget()
    setStatus({ state: 'scanning', error: undefined })
    apply.newPass()
    // The client is not needed until a file needs uploading (or a remote deletion).
    const connect = lazyConnection()
    const planned = await planner.scan(connect, uploadedFolders, async (batch) =>
      apply.enqueue(batch, (await connect()).account),
    )
    // Gone during the scan: what looks deleted is only missing.
    if (folderMissing()) throw missingError()
    deps.state.rememberFolders(pair.id, planned.unchangedFolders)
    const gone = planner.gone(planned.knownSeen)
    await applyDeletions(gone, connect)
    if (gone.length === 0 || pair.mode !== 'mirror') setStatus({ heldDeletions: undefined })
    if (planned.changedCount > 0)
      deps.activity('info', `${planned.changedCount} file(s) to upload after scanning ${pair.localPath}.`, {
        line: { kind: 'scan-found', params: { count: planned.changedCount, folder: pair.localPath } },
      })
    const held = status.heldDeletions ? problems[0] : undefined
    setStatus({
      state: held ? 'error' : 'idle',
      error: held,
      lastActivityAt: new Date().toISOString(),
    })
  }

  async function handleBatch(batch: WatchedChange[]): Promise<void> {
    try {
      // A folder deleted or renamed away reports each of its files as deleted first: nothing is done with them,
      // and they are no longer counted as pending (seen in Chromium: "2 files pending" on a missing folder).
      if (folderMissing()) {
        setStatus({})
        return
      }
      const connect = lazyConnection()
      const { uploads, gone } = await planner.watched(batch, connect)
      if (uploads.length > 0) await apply.enqueue(uploads, (await connect()).account)
      await applyDeletions(gone, connect)
      setStatus({ state: 'idle', lastActivityAt: new Date().toISOString() })
    } catch (error) {
      const ipcError = toIpcError(error)
      deps.activity('error', ipcError.message, { error: ipcError })
      setStatus({ state: 'error', error: ipcError })
    }
  }

  return {
    get status(): SyncPairStatus {
      return shown(status)
    },
    get problems(): string[] {
      return problems.map((problem) => problem.message)
    },
    /** The deletions the last pass held back by the mirror cap, as an error with their counts. */
    get deletionsHeld(): IpcError | undefined {
      return problems[0]
    },
    async start(): Promise<void> {
      presenceTimer ??= setInterval(checkPresence, deps.presenceCheckMs ?? PRESENCE_CHECK_MS)
      await watchAndReconcile()
    },
    reconcile,
    /** A job of this folder failed or was cancelled: the folder's status says so (or stops saying so) soon. */
    jobEnded(): void {
      setStatusSoon({})
    },
    /** Records a finished upload of this pair in the state DB. */
    recordUpload(job: StoredJob): void {
      if (!job.sha256) return
      recorder.record({
        pairId: pair.id,
        relPath: toRel(pair.localPath, job.sourcePath),
        size: job.size,
        mtimeMs: job.mtimeMs,
        sha256: job.sha256,
        objectKey: job.key,
        etag: job.etag,
        uploadedAt: new Date().toISOString(),
      })
      setStatusSoon({ lastActivityAt: new Date().toISOString() })
    },
    /** Lets the next mirror pass delete more than the safety cap. */
    confirmDeletions: apply.confirmDeletions,
    async stop(): Promise<void> {
      aggregator.close()
      if (presenceTimer) clearInterval(presenceTimer)
      presenceTimer = undefined
      if (refreshTimer) clearTimeout(refreshTimer)
      refreshTimer = undefined
      recorder.stop()
      if (deps.queue.pendingFor(pair.id) === 0 && recorder.waiting === 0) rememberFolders()
      await watcher?.close()
      watcher = undefined
      setStatus({ state: 'paused' })
    },
  }
}

export type PairRunner = ReturnType<typeof createPairRunner>
