import { posix } from 'node:path'
import type { EncryptionChoice, ResolvedEncryption } from '../../../preload/contract/models'
import type { EnqueueRequest } from '../../../preload/contract/queue-models'
import { resolveEncryption } from '../encryption/resolve-encryption'
import { expandPaths } from './expand-paths'
import type { NewJob } from './job-store'

export type BucketDefault = (accountId: string, bucket: string) => Promise<EncryptionChoice | undefined>

/**
 * The encryption of an upload: explicit choice > (folder rule, given as explicit by sync) > bucket default > none;
 * HTTPS enforced. The bucket's default is only asked for when nothing was chosen.
 */
export async function encryptionFor(
  bucketDefault: BucketDefault,
  target: { accountId: string; bucket: string; endpoint: string },
  explicit: EncryptionChoice | undefined,
  folderRule?: EncryptionChoice,
): Promise<ResolvedEncryption> {
  const fromBucket =
    explicit || folderRule
      ? undefined
      : await bucketDefault(target.accountId, target.bucket).catch(() => undefined)
  return resolveEncryption({ explicit, folderRule, bucketDefault: fromBucket }, target.endpoint)
}

/** The jobs of a manual upload: its files and folders (walked recursively) under the target prefix. */
export async function jobsForRequest(
  request: EnqueueRequest,
  encryption: ResolvedEncryption,
  storageClass?: string,
): Promise<{ jobs: NewJob[]; skipped: Awaited<ReturnType<typeof expandPaths>>['skipped'] }> {
  const expansion = await expandPaths(request.paths)
  const prefix = request.prefix.replace(/^\/+/, '')
  const jobs = expansion.files.map((file) => ({
    accountId: request.accountId,
    bucket: request.bucket,
    key: prefix ? posix.join(prefix, file.relativeKey) : file.relativeKey,
    sourcePath: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    encryption,
    storageClass,
    origin: 'manual' as const,
  }))
  return { jobs, skipped: expansion.skipped }
}
