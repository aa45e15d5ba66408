import { posix, relative, sep } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Account, ResolvedEncryption } from '../../../preload/contract/models'
import type { SyncPair, SyncPairStatus } from '../../../preload/contract/sync-models'
import { toIpcError } from '../errors'
import type { NewJob, StoredJob } from '../queue/job-store'
import { s3Sdk } from '../sdk'
import { digestFile } from '../storage/hashing'
import { conflictKey } from './conflict-name'
import { folderSignature } from './folder-signature'
import { watchedEntry } from './folder-walk'
import { goneFiles } from './gone-files'
import { createIgnoreRules, IGNORE_FILE } from './ignore-rules'
import { deletionAllowed } from './mirror-guard'
import { type RemoteEntry, remoteIndex, remoteSha256 } from './remote-index'
import { type LocalFile, type ScannedFolder, scanFolder } from './scan-folder'
import { createSettleAggregator } from './settle-aggregator'
import type { StateDb } from './state-db'
import { watchFolder } from './watch-folder'

export interface PairRunnerDeps {
  client: (accountId: string) => Promise<{ account: Account; s3: S3Client }>
  queue: {
    add(jobs: NewJob[]): number[]
    resolveFor(
      accountId: string,
      bucket: string,
      endpoint: string,
      explicit: undefined,
      folderRule: SyncPair['encryption'],
    ): Promise<ResolvedEncryption>
    pendingFor(pairId: string): number
  }
  state: StateDb
  settleMs: number
  activity: (level: 'info' | 'warning' | 'error', message: string) => void
  onStatus: (status: SyncPairStatus) => void
  now?: () => Date
}

const ENQUEUE_BATCH = 500
const STATUS_REFRESH_MS = 250

function toRel(root: string, absPath: string): string {
  return relative(root, absPath).split(sep).join('/')
}

/**
 * Keeps one watched folder in step with its bucket/prefix: a full reconcile at start (catching up what changed
 * while the app was off), then a watcher whose settled events go through the same per-file decision. Uploads go
 * through the durable queue; what was uploaded is recorded in the state DB when the queue reports it done.
 */
export function createPairRunner(pair: SyncPair, deps: PairRunnerDeps) {
  const rules = createIgnoreRules(pair.localPath, (p) =>
    deps.activity('warning', `${p.path} is skipped: ${p.reason}.`),
  )
  let encryption: ResolvedEncryption | undefined
  let watcher: { close(): Promise<void> } | undefined
  let status: SyncPairStatus = { id: pair.id, state: 'idle', pendingFiles: 0 }
  let confirmDeletes = false
  let problems: string[] = []
  const aggregator = createSettleAggregator(deps.settleMs, (batch) => void handleBatch(batch))
  const keyOf = (relPath: string) => (pair.prefix ? posix.join(pair.prefix, relPath) : relPath)

  function setStatus(patch: Partial<SyncPairStatus>): void {
    const queued = deps.queue.pendingFor(pair.id)
    status = { ...status, ...patch, pendingFiles: queued + aggregator.pendingCount() }
    deps.onStatus(status)
    if (queued === 0 && !reconciling) rememberUploadedFolders()
  }

  /** Folders of the last pass that had files to upload, with the signature the scan saw (relDir -> signature). */
  let uploadedFolders = new Map<string, string>()
  let reconciling = false
  /**
   * Once a pass's uploads are done, a folder whose rows now give the signature its scan gave is remembered as
   * in sync, so that the first restart after a big upload already skips it (not only the second).
   */
  function rememberUploadedFolders(): void {
    if (uploadedFolders.size === 0) return
    const inSync: { relDir: string; signature: string; fileCount: number }[] = []
    for (const [relDir, signature] of uploadedFolders) {
      const live = [...deps.state.rowsIn(pair.id, relDir)]
        .filter(([, row]) => !row.localGone)
        .map(([relPath, row]) => ({ relPath, size: row.size, mtimeMs: row.mtimeMs }))
      if (folderSignature(live) === signature) inSync.push({ relDir, signature, fileCount: live.length })
    }
    uploadedFolders = new Map()
    deps.state.rememberFolders(pair.id, inSync)
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

  async function encryptionFor(account: Account): Promise<ResolvedEncryption> {
    encryption ??= await deps.queue.resolveFor(
      account.id,
      pair.bucket,
      account.endpoint,
      undefined,
      pair.encryption,
    )
    return encryption
  }

  /** Decides what one local file needs: nothing, an upload to its key, or an upload beside a conflicting object. */
  async function planFile(
    file: LocalFile,
    s3: S3Client,
    remote: (() => Promise<Map<string, RemoteEntry>>) | undefined,
  ): Promise<{ key: string } | undefined> {
    const record = deps.state.get(pair.id, file.relPath)
    if (record && record.size === file.size && record.mtimeMs === file.mtimeMs) return undefined
    const key = keyOf(file.relPath)
    const exists = remote ? (await remote()).has(key) : undefined
    if (exists === false) return { key }
    const remoteSha = await remoteSha256(s3, pair.bucket, key)
    if (remoteSha === null) return { key }
    if (record && remoteSha === record.sha256) return { key }
    const local = await digestFile(file.absPath).catch(() => undefined)
    if (!local) return undefined
    if (remoteSha === local.sha256Hex) {
      // Already there (uploaded by us before the state DB knew, or by another machine): just remember it.
      deps.state.record({
        pairId: pair.id,
        relPath: file.relPath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        sha256: local.sha256Hex,
        objectKey: key,
        uploadedAt: new Date().toISOString(),
      })
      return undefined
    }
    // The remote object is not what we last uploaded: never overwrite it silently, keep both.
    const renamed = conflictKey(key, deps.now?.() ?? new Date())
    deps.activity(
      'warning',
      `${key} changed in the bucket since the last upload; the local version goes to ${renamed}.`,
    )
    return { key: renamed }
  }

  async function enqueue(plans: { file: LocalFile; key: string }[], account: Account): Promise<void> {
    const resolved = await encryptionFor(account)
    deps.queue.add(
      plans.map(({ file, key }) => ({
        accountId: pair.accountId,
        bucket: pair.bucket,
        key,
        sourcePath: file.absPath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        encryption: resolved,
        origin: 'sync' as const,
        syncPairId: pair.id,
      })),
    )
  }

  /** Local deletions: mirror mode deletes the remote copies (within the safety cap); upload-only keeps them. */
  async function applyDeletions(relPaths: string[], connect: () => Promise<{ s3: S3Client }>): Promise<void> {
    if (relPaths.length === 0) return
    if (pair.mode !== 'mirror') {
      deps.state.markGone(pair.id, relPaths)
      return
    }
    const verdict = deletionAllowed(
      relPaths.length,
      deps.state.count(pair.id),
      pair.mirrorDeleteCapPercent,
      confirmDeletes,
    )
    if (!verdict.allowed) {
      problems.push(verdict.reason ?? 'Deletion refused.')
      deps.activity('warning', verdict.reason ?? 'Deletion refused.')
      setStatus({ heldDeletions: relPaths.length })
      return
    }
    confirmDeletes = false
    setStatus({ heldDeletions: undefined })
    const { s3 } = await connect()
    for (const relPath of relPaths) {
      const record = deps.state.get(pair.id, relPath)
      if (!record) continue
      await s3.send(new (await s3Sdk()).DeleteObjectCommand({ Bucket: pair.bucket, Key: record.objectKey }))
      deps.state.forget(pair.id, relPath)
      deps.activity('info', `Deleted ${record.objectKey} (mirror of a local deletion).`)
    }
  }

  /** The account's client, fetched once and only when needed (reading the keychain costs a D-Bus round trip). */
  function lazyConnection() {
    let connection: ReturnType<PairRunnerDeps['client']> | undefined
    return () => {
      connection ??= deps.client(pair.accountId)
      return connection
    }
  }

  /**
   * The files of one scanned folder that need a decision (new, or changed since their row), and how many of its
   * files have a row. A folder whose signature matches the one remembered needs no per-file lookup at all.
   */
  function changedIn(
    folder: ScannedFolder,
    unchangedFolders: { relDir: string; signature: string; fileCount: number }[],
  ): { changed: LocalFile[]; known: number } {
    const signature = folderSignature(folder.files)
    const remembered = deps.state.folder(pair.id, folder.relDir)
    if (remembered?.signature === signature) return { changed: [], known: remembered.fileCount }
    const rows = deps.state.rowsIn(pair.id, folder.relDir)
    const changed: LocalFile[] = []
    let known = 0
    for (const file of folder.files) {
      const row = rows.get(file.relPath)
      if (row?.localGone) deps.state.markPresent(pair.id, file.relPath)
      if (row) known++
      if (!row || row.size !== file.size || row.mtimeMs !== file.mtimeMs) changed.push(file)
    }
    if (changed.length === 0)
      unchangedFolders.push({ relDir: folder.relDir, signature, fileCount: folder.files.length })
    else uploadedFolders.set(folder.relDir, signature)
    return { changed, known }
  }

  async function reconcile(): Promise<void> {
    reconciling = true
    try {
      await reconcilePass()
    } finally {
      reconciling = false
    }
    // Everything may already be uploaded (a small pass): then no later status change would do it.
    if (deps.queue.pendingFor(pair.id) === 0) rememberUploadedFolders()
  }

  async function reconcilePass(): Promise<void> {
    problems = []
    uploadedFolders = new Map()
    setStatus({ state: 'scanning', error: undefined })
    encryption = undefined
    // Neither the client nor the bucket listing is needed until a file needs uploading: a restart with nothing
    // changed reads the folder and the state DB and nothing else.
    const connect = lazyConnection()
    let listing: Promise<Map<string, RemoteEntry>> | undefined
    const remote = () => {
      listing ??= connect().then(({ s3 }) => remoteIndex(s3, pair.bucket, pair.prefix))
      return listing
    }
    let knownSeen = 0
    // Signatures of folders found entirely unchanged, written together (one commit, not one per folder).
    let unchangedFolders: { relDir: string; signature: string; fileCount: number }[] = []
    let batch: { file: LocalFile; key: string }[] = []
    let changedCount = 0
    for await (const folder of scanFolder(pair.localPath, rules, (p) =>
      deps.activity('warning', `${p.path} is skipped: ${p.reason}.`),
    )) {
      const { changed, known } = changedIn(folder, unchangedFolders)
      knownSeen += known
      if (unchangedFolders.length >= ENQUEUE_BATCH) {
        deps.state.rememberFolders(pair.id, unchangedFolders)
        unchangedFolders = []
      }
      for (const file of changed) {
        const plan = await planFile(file, (await connect()).s3, remote)
        if (!plan) continue
        changedCount++
        batch.push({ file, key: plan.key })
        if (batch.length >= ENQUEUE_BATCH) {
          await enqueue(batch, (await connect()).account)
          batch = []
        }
      }
    }
    if (batch.length > 0) await enqueue(batch, (await connect()).account)
    deps.state.rememberFolders(pair.id, unchangedFolders)
    // Every row matched a file seen: nothing was deleted. Otherwise find the rows whose files are gone.
    const gone =
      knownSeen === deps.state.count(pair.id)
        ? []
        : goneFiles(pair.localPath, deps.state.paths(pair.id), rules)
    await applyDeletions(gone, connect)
    if (gone.length === 0 || pair.mode !== 'mirror') setStatus({ heldDeletions: undefined })
    if (changedCount > 0)
      deps.activity('info', `${changedCount} file(s) to upload after scanning ${pair.localPath}.`)
    const held = status.heldDeletions && problems[0]
    setStatus({
      state: held ? 'error' : 'idle',
      error: held ? { code: 'DELETIONS_HELD', message: held } : undefined,
      lastActivityAt: new Date().toISOString(),
    })
  }

  async function handleBatch(batch: { relPath: string; absPath: string; gone: boolean }[]): Promise<void> {
    try {
      const connect = lazyConnection()
      if (batch.some((b) => posix.basename(b.relPath) === IGNORE_FILE)) {
        for (const b of batch) if (posix.basename(b.relPath) === IGNORE_FILE) rules.invalidate(b.relPath)
      }
      const plans: { file: LocalFile; key: string }[] = []
      const gone: string[] = []
      for (const entry of batch) {
        if (rules.ignores(entry.relPath)) continue
        if (entry.gone) {
          if (deps.state.get(pair.id, entry.relPath)) gone.push(entry.relPath)
          continue
        }
        const info = watchedEntry(pair.localPath, entry.absPath)
        if (info.kind === 'skipped') deps.activity('warning', `${entry.absPath} is skipped: ${info.reason}.`)
        if (info.kind !== 'file') continue
        const file = {
          relPath: entry.relPath,
          absPath: entry.absPath,
          size: info.size,
          mtimeMs: info.mtimeMs,
        }
        const plan = await planFile(file, (await connect()).s3, undefined)
        if (plan) plans.push({ file, key: plan.key })
      }
      if (plans.length > 0) await enqueue(plans, (await connect()).account)
      await applyDeletions(gone, connect)
      setStatus({ state: 'idle', lastActivityAt: new Date().toISOString() })
    } catch (error) {
      const ipcError = toIpcError(error)
      deps.activity('error', ipcError.message)
      setStatus({ state: 'error', error: ipcError })
    }
  }

  return {
    get status(): SyncPairStatus {
      return status
    },
    get problems(): string[] {
      return problems
    },
    async start(): Promise<void> {
      try {
        // Watch first, then scan: a change during the scan is then seen by one or the other, never by neither.
        watcher = await watchFolder(pair.localPath, rules, (absPath) => {
          aggregator.touch(toRel(pair.localPath, absPath), absPath)
          setStatusSoon({})
        })
        await reconcile()
      } catch (error) {
        const ipcError = toIpcError(error)
        deps.activity('error', ipcError.message)
        setStatus({ state: 'error', error: ipcError })
      }
    },
    reconcile,
    /** Records a finished upload of this pair in the state DB. */
    recordUpload(job: StoredJob): void {
      if (!job.sha256) return
      deps.state.record({
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
    confirmDeletions(): void {
      confirmDeletes = true
    },
    async stop(): Promise<void> {
      aggregator.close()
      if (refreshTimer) clearTimeout(refreshTimer)
      refreshTimer = undefined
      if (deps.queue.pendingFor(pair.id) === 0) rememberUploadedFolders()
      await watcher?.close()
      watcher = undefined
      setStatus({ state: 'paused' })
    },
  }
}

export type PairRunner = ReturnType<typeof createPairRunner>
