import { statSync } from 'node:fs'
import { basename, posix } from 'node:path'
import { kmsHeaderIdFor } from '../../../preload/contract/kms-key-reference'
import type { EncryptionChoice, KmsKey, ResolvedEncryption } from '../../../preload/contract/models'
import type { EnqueueRequest } from '../../../preload/contract/queue-models'
import { normalizePrefix } from '../../../preload/contract/target-prefix'
import { resolveEncryption } from '../encryption/resolve-encryption'
import { expandPaths } from './expand-paths'
import type { NewJob } from './job-store'

export type BucketDefault = (accountId: string, bucket: string) => Promise<EncryptionChoice | undefined>
/** The account's KMS keys as the key picker lists them (listed by the provider, and typed by the user). */
export type KmsKeys = (accountId: string) => Promise<readonly KmsKey[]>

/**
 * The encryption of an upload: explicit choice > (folder rule, given as explicit by sync) > bucket default > none;
 * HTTPS enforced. The bucket's default is only asked for when nothing was chosen. An SSE-KMS key named by alias
 * or bare id is sent as the header id its listed key has (kms-key-reference.ts); a key already written as
 * `region:domainId:key/keyId` or an ARN goes out as it is, without asking the key listing.
 */
export async function encryptionFor(
  sources: { bucketDefault: BucketDefault; kmsKeys?: KmsKeys },
  target: { accountId: string; bucket: string; endpoint: string },
  explicit: EncryptionChoice | undefined,
  folderRule?: EncryptionChoice,
): Promise<ResolvedEncryption> {
  const fromBucket =
    explicit || folderRule
      ? undefined
      : await sources.bucketDefault(target.accountId, target.bucket).catch(() => undefined)
  const resolved = resolveEncryption({ explicit, folderRule, bucketDefault: fromBucket }, target.endpoint)
  const { choice } = resolved
  if (choice.mode !== 'sse-kms' || !choice.keyId || choice.keyId.includes(':') || !sources.kmsKeys)
    return resolved
  // A listing that fails (a missing KMS permission) leaves the key as the user wrote it.
  const keys = await sources.kmsKeys(target.accountId).catch(() => [])
  const headerId = kmsHeaderIdFor(choice.keyId, keys)
  return { ...resolved, choice: headerId ? { mode: 'sse-kms', keyId: headerId } : { mode: 'sse-kms' } }
}

/** The jobs of a manual upload: its files and folders (walked recursively) under the target prefix. */
export async function jobsForRequest(
  request: EnqueueRequest,
  encryption: ResolvedEncryption,
  storageClass?: string,
): Promise<{ jobs: NewJob[]; skipped: Awaited<ReturnType<typeof expandPaths>>['skipped'] }> {
  const expansion = await expandPaths(request.paths)
  const prefix = normalizePrefix(request.prefix)
  const jobs = expansion.files.map((file) => ({
    accountId: request.accountId,
    bucket: request.bucket,
    key: keyUnder(prefix, file.relativeKey),
    sourcePath: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    encryption,
    storageClass,
    origin: 'manual' as const,
  }))
  return { jobs, skipped: expansion.skipped }
}

/** An uploaded file's key: the target prefix, then its key relative to it (expand-paths.ts). */
function keyUnder(prefix: string, relativeKey: string): string {
  return prefix ? posix.join(prefix, relativeKey) : relativeKey
}

/**
 * The folder the keys of a request go under when it uploads one folder (`prefix/name/`), known before the folder
 * is walked; undefined for anything else. It is the folder the check of existing objects lists (commonFolder in
 * upload-clashes.ts) unless all its files sit deeper, in one sub-folder.
 */
export function folderOfRequest(request: Pick<EnqueueRequest, 'paths' | 'prefix'>): string | undefined {
  const [path, ...more] = request.paths
  if (path === undefined || more.length > 0) return undefined
  try {
    if (!statSync(path).isDirectory()) return undefined
  } catch {
    return undefined
  }
  return `${keyUnder(normalizePrefix(request.prefix), basename(path))}/`
}
