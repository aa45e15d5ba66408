import { posix, relative, sep } from 'node:path'
import type { Account } from '../../../preload/contract/models'
import type { SyncPair } from '../../../preload/contract/sync-models'
import type { StoredEncryption } from '../encryption/verify-encryption'
import type { ControlConnection } from '../storage/s3-client'
import { watchedEntry } from './folder-walk'
import { goneFiles } from './gone-files'
import { IGNORE_FILE, type IgnoreRules } from './ignore-rules'
import { changedIn, type PlanContext, planFile } from './plan-file'
import { type RemoteEntry, remoteIndex } from './remote-index'
import { type LocalFile, scanFolder } from './scan-folder'
import type { SkipReporter } from './skip-reporter'
import type { createUploadedFolders } from './uploaded-folders'

/** How many planned uploads (and unchanged folder signatures) are handed on together. */
export const ENQUEUE_BATCH = 500

/** A file to upload and the object key it goes to. */
export interface PlannedUpload {
  file: LocalFile
  key: string
}

/** The account's client, fetched once and only when needed (reading the keychain costs a D-Bus round trip). */
export type Connect = () => Promise<{ account: Account } & ControlConnection>

/** A watcher's settled event: a file written or gone. */
export interface WatchedChange {
  relPath: string
  absPath: string
  gone: boolean
}

export function toRel(root: string, absPath: string): string {
  return relative(root, absPath).split(sep).join('/')
}

export interface PassPlanDeps extends Omit<PlanContext, 'pair' | 'encryptionMatches'> {
  rules: IgnoreRules
  /** Where skipped paths are reported (once while they stay skipped). */
  skips: SkipReporter
  /** Whether a remote copy's stored encryption is what the folder asks for (with this pass's account). */
  encryptionMatches: (account: Account, stored: StoredEncryption) => Promise<boolean>
}

/**
 * The planning half of a watched folder's pass (pair-runner.ts applies the plan): which files need uploading, to
 * which keys, and which files recorded as uploaded are gone. Reads the folder, the state DB and, only when a
 * file needs it, the bucket; changes nothing remotely.
 */
export function createPassPlanner(pair: SyncPair, deps: PassPlanDeps) {
  const { rules } = deps
  const skipped = deps.skips.report
  /** What planning needs, with this pass's connection for checking a remote copy's encryption. */
  const planContext = (connect: Connect): PlanContext => ({
    pair,
    state: deps.state,
    activity: deps.activity,
    now: deps.now,
    encryptionMatches: async (stored) => deps.encryptionMatches((await connect()).account, stored),
  })

  return {
    /**
     * A full pass over the folder: the uploads it needs go to `upload` ENQUEUE_BATCH at a time, as they are
     * found; folders found entirely unchanged have their signatures written (the last ones are returned, to be
     * written once the pass knows the folder was there throughout). `knownSeen` counts files the state DB knows.
     */
    async scan(
      connect: Connect,
      uploadedFolders: ReturnType<typeof createUploadedFolders>,
      upload: (batch: PlannedUpload[]) => Promise<void>,
    ) {
      // The bucket listing is only asked for when a file needs it: a restart with nothing changed reads the
      // folder and the state DB and nothing else.
      let listing: Promise<Map<string, RemoteEntry>> | undefined
      const remote = () => {
        listing ??= connect().then((connection) => remoteIndex(connection, pair.bucket, pair.prefix))
        return listing
      }
      let knownSeen = 0
      // Signatures of folders found entirely unchanged, written together (one commit, not one per folder).
      let unchangedFolders: { relDir: string; signature: string; fileCount: number }[] = []
      let batch: PlannedUpload[] = []
      let changedCount = 0
      for await (const folder of scanFolder(pair.localPath, rules, skipped)) {
        const { changed, known, signature } = changedIn({ pair, state: deps.state }, folder)
        knownSeen += known
        if (changed.length === 0)
          unchangedFolders.push({ relDir: folder.relDir, signature, fileCount: folder.files.length })
        else uploadedFolders.add(folder.relDir, signature)
        if (unchangedFolders.length >= ENQUEUE_BATCH) {
          deps.state.rememberFolders(pair.id, unchangedFolders)
          unchangedFolders = []
        }
        for (const file of changed) {
          const planned = await planFile(planContext(connect), file, (await connect()).s3, remote)
          if (!planned) continue
          changedCount++
          batch.push({ file, key: planned.key })
          if (batch.length >= ENQUEUE_BATCH) {
            await upload(batch)
            batch = []
          }
        }
      }
      if (batch.length > 0) await upload(batch)
      return { knownSeen, changedCount, unchangedFolders }
    },

    /** After a full pass: the files recorded in the state DB that are gone from the folder. */
    gone(knownSeen: number): string[] {
      // Every row matched a file seen: nothing was deleted. Otherwise find the rows whose files are gone.
      return knownSeen === deps.state.count(pair.id)
        ? []
        : goneFiles(pair.localPath, deps.state.paths(pair.id), rules)
    },

    /** A watcher's settled changes: the uploads they need, and the recorded files they say are gone. */
    async watched(changes: WatchedChange[], connect: Connect) {
      for (const c of changes) if (posix.basename(c.relPath) === IGNORE_FILE) rules.invalidate(c.relPath)
      const uploads: PlannedUpload[] = []
      const gone: string[] = []
      for (const entry of changes) {
        if (rules.ignores(entry.relPath)) continue
        if (entry.gone) {
          deps.skips.forget(entry.absPath)
          if (deps.state.get(pair.id, entry.relPath)) gone.push(entry.relPath)
          continue
        }
        const info = watchedEntry(pair.localPath, entry.absPath)
        if (info.kind === 'skipped') skipped({ ...info, path: entry.absPath })
        else deps.skips.forget(entry.absPath)
        if (info.kind !== 'file') continue
        const file = {
          relPath: entry.relPath,
          absPath: entry.absPath,
          size: info.size,
          mtimeMs: info.mtimeMs,
        }
        const planned = await planFile(planContext(connect), file, (await connect()).s3, undefined)
        if (planned) uploads.push({ file, key: planned.key })
      }
      return { uploads, gone }
    },
  }
}
