import type { Provider } from '../../../preload/contract/models'
import type { ArchiveState } from '../../../preload/contract/storage-class-models'
import { isArchiveClass } from './storage-classes'

/**
 * Reads HEAD's restore header: `x-amz-restore` (S3, and OBS in S3-compatible mode) or `x-obs-restore` (OBS's own
 * API), both shaped `ongoing-request="true"` while a restore runs and
 * `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"` once the copy is readable. Sources:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html (x-amz-restore) and OBS "Querying Object
 * Metadata", https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0084.html (x-obs-restore).
 */
export function parseRestoreHeader(value: string | undefined): ArchiveState | undefined {
  if (!value) return undefined
  const ongoing = /ongoing-request\s*=\s*"?(true|false)"?/i.exec(value)?.[1]?.toLowerCase()
  if (ongoing === 'true') return { state: 'restoring' }
  if (ongoing !== 'false') return undefined
  const expiry = /expiry-date\s*=\s*"([^"]+)"/i.exec(value)?.[1]
  const until = expiry ? new Date(expiry) : undefined
  return {
    state: 'restored',
    restoredUntil: until && !Number.isNaN(until.getTime()) ? until.toISOString() : undefined,
  }
}

/**
 * An object's archive state, or undefined when it is not archived (readable as it is). A restore header means
 * archived whatever the class says; an archive class without one means no readable copy exists.
 */
export function archiveStateOf(
  provider: Provider,
  storageClass: string | undefined,
  restoreHeader: string | undefined,
  now = new Date(),
): ArchiveState | undefined {
  const restore = parseRestoreHeader(restoreHeader)
  if (restore?.state === 'restored' && restore.restoredUntil && new Date(restore.restoredUntil) <= now) {
    return { state: 'archived' }
  }
  if (restore) return restore
  return isArchiveClass(provider, storageClass) ? { state: 'archived' } : undefined
}

/** Whether the object's bytes can be read now (not archived, or a restored copy exists). */
export function isReadable(archive: ArchiveState | undefined): boolean {
  return !archive || archive.state === 'restored'
}
