import { posix } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import type { ActivityExtra, SyncPair } from '../../../preload/contract/sync-models'
import type { StoredEncryption } from '../encryption/verify-encryption'
import { digestFile } from '../storage/hashing'
import { conflictKey } from './conflict-name'
import { folderSignature } from './folder-signature'
import { type RemoteEntry, remoteObject } from './remote-index'
import type { LocalFile, ScannedFolder } from './scan-folder'
import type { StateDb } from './state-db'

/** What planning reads and tells: the pair, its state DB, where warnings go, and the clock for conflict names. */
export interface PlanContext {
  pair: SyncPair
  state: StateDb
  activity: (level: 'info' | 'warning' | 'error', message: string, extra?: ActivityExtra) => void
  now?: () => Date
  /**
   * Whether an object's stored encryption is what the folder's rule asks for. A remote copy with our content but
   * not the encryption asked (an earlier upload the server stored unencrypted, another tool's copy) is uploaded
   * again, never adopted as synced. Without it, content alone decides.
   */
  encryptionMatches?: (stored: StoredEncryption) => Promise<boolean>
}

/** The object key of a file of the pair's folder (relative path under the pair's prefix). */
export function objectKeyFor(pair: Pick<SyncPair, 'prefix'>, relPath: string): string {
  return pair.prefix ? posix.join(pair.prefix, relPath) : relPath
}

/**
 * Decides what one local file needs: nothing, an upload to its key, or an upload beside a remote object that
 * changed since our last upload (never overwritten silently). `remote` is the bucket listing, when a full pass
 * has one; without it each candidate's object is asked for.
 */
export async function planFile(
  ctx: PlanContext,
  file: LocalFile,
  s3: S3Client,
  remote: (() => Promise<Map<string, RemoteEntry>>) | undefined,
): Promise<{ key: string } | undefined> {
  const { pair, state } = ctx
  const record = state.get(pair.id, file.relPath)
  if (record && record.size === file.size && record.mtimeMs === file.mtimeMs) return undefined
  const key = objectKeyFor(pair, file.relPath)
  const exists = remote ? (await remote()).has(key) : undefined
  if (exists === false) return { key }
  const stored = await remoteObject(s3, pair.bucket, key)
  if (stored === null) return { key }
  const remoteSha = stored?.sha256
  if (record && remoteSha === record.sha256) return { key }
  const local = await digestFile(file.absPath).catch(() => undefined)
  if (!local) return undefined
  if (remoteSha === local.sha256Hex) {
    if (stored && ctx.encryptionMatches && !(await ctx.encryptionMatches(stored.encryption))) return { key }
    // Already there (uploaded by us before the state DB knew, or by another machine): just remember it.
    state.record({
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
  const renamed = conflictKey(key, ctx.now?.() ?? new Date())
  ctx.activity(
    'warning',
    `${key} changed in the bucket since the last upload; the local version goes to ${renamed}.`,
    { line: { kind: 'remote-conflict', params: { key, renamed } } },
  )
  return { key: renamed }
}

/**
 * The files of one scanned folder that need a decision (new, or changed since their row), how many of its files
 * have a row, and the folder's signature. A folder whose signature matches the one remembered needs no per-file
 * lookup at all. Files seen again after they were marked gone are marked present.
 */
export function changedIn(
  ctx: Pick<PlanContext, 'pair' | 'state'>,
  folder: ScannedFolder,
): { changed: LocalFile[]; known: number; signature: string } {
  const { pair, state } = ctx
  const signature = folderSignature(folder.files)
  const remembered = state.folder(pair.id, folder.relDir)
  if (remembered?.signature === signature) return { changed: [], known: remembered.fileCount, signature }
  const rows = state.rowsIn(pair.id, folder.relDir)
  const changed: LocalFile[] = []
  let known = 0
  for (const file of folder.files) {
    const row = rows.get(file.relPath)
    if (row?.localGone) state.markPresent(pair.id, file.relPath)
    if (row) known++
    if (!row || row.size !== file.size || row.mtimeMs !== file.mtimeMs) changed.push(file)
  }
  return { changed, known, signature }
}
