import type { S3Client } from '@aws-sdk/client-s3'
import type { IpcError } from '../../../preload/contract/errors'
import type { Account, ResolvedEncryption } from '../../../preload/contract/models'
import type { ActivityExtra, SyncPair } from '../../../preload/contract/sync-models'
import { type StoredEncryption, storedMatchesChoice } from '../encryption/verify-encryption'
import type { NewJob } from '../queue/job-store'
import { s3Sdk } from '../sdk'
import { resolveStorageClass } from '../storage/storage-classes'
import { deletionAllowed } from './mirror-guard'
import type { LocalFile } from './scan-folder'
import type { StateDb } from './state-db'

export interface ApplyDeps {
  queue: {
    add(jobs: NewJob[]): Promise<number[]>
    resolveFor(
      accountId: string,
      bucket: string,
      endpoint: string,
      explicit: undefined,
      folderRule: SyncPair['encryption'],
    ): Promise<ResolvedEncryption>
  }
  state: StateDb
  activity: (level: 'info' | 'warning' | 'error', message: string, extra?: ActivityExtra) => void
}

/**
 * Carries out a pair's plan: uploads go to the durable queue with the folder's encryption (resolved once per
 * pass), and in mirror mode local deletions delete the remote copies, within the safety cap unless confirmed.
 */
export function createPlanApplier(pair: SyncPair, deps: ApplyDeps) {
  let encryption: ResolvedEncryption | undefined
  let confirmDeletes = false

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

  return {
    /** A new pass resolves the encryption again (the bucket's default may have changed). */
    newPass(): void {
      encryption = undefined
    },

    async enqueue(plans: { file: LocalFile; key: string }[], account: Account): Promise<void> {
      const resolved = await encryptionFor(account)
      // The folder's class applies to uploads queued from now on; jobs already queued keep theirs.
      const storageClass = pair.storageClass
        ? resolveStorageClass(account.provider, pair.storageClass)
        : undefined
      await deps.queue.add(
        plans.map(({ file, key }) => ({
          accountId: pair.accountId,
          bucket: pair.bucket,
          key,
          sourcePath: file.absPath,
          size: file.size,
          mtimeMs: file.mtimeMs,
          encryption: resolved,
          storageClass,
          origin: 'sync' as const,
          syncPairId: pair.id,
        })),
      )
    },

    /** Whether a stored object's encryption is what this folder's rule asks for (see planFile). */
    async encryptionMatches(account: Account, stored: StoredEncryption): Promise<boolean> {
      return storedMatchesChoice((await encryptionFor(account)).choice, stored)
    },

    /** Lets the next mirror pass delete more than the safety cap. */
    confirmDeletions(): void {
      confirmDeletes = true
    },

    /**
     * Why deleting these many remote copies is refused (more than the cap, not confirmed), or undefined when it
     * may go ahead (a confirmation is used up by it).
     */
    deletionRefusal(count: number): IpcError | undefined {
      const verdict = deletionAllowed(
        count,
        deps.state.count(pair.id),
        pair.mirrorDeleteCapPercent,
        confirmDeletes,
      )
      if (verdict.refusal) return verdict.refusal
      confirmDeletes = false
      return undefined
    },

    /** Deletes the remote copies of local files that are gone, and forgets them. */
    async deleteRemote(relPaths: string[], s3: S3Client): Promise<void> {
      const { DeleteObjectCommand } = await s3Sdk()
      for (const relPath of relPaths) {
        const record = deps.state.get(pair.id, relPath)
        if (!record) continue
        await s3.send(new DeleteObjectCommand({ Bucket: pair.bucket, Key: record.objectKey }))
        deps.state.forget(pair.id, relPath)
        deps.activity('info', `Deleted ${record.objectKey} (mirror of a local deletion).`, {
          line: { kind: 'mirror-deleted', params: { key: record.objectKey } },
        })
      }
    },
  }
}

export type PlanApplier = ReturnType<typeof createPlanApplier>
