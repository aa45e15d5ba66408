import { join } from 'node:path'
import type { RemoteChanges, SyncPair } from '../../../preload/contract/sync-models'
import type { RemoteEntry } from './remote-index'
import type { StateDb } from './state-db'

/** Clock differences between us and the server: a listing date within this of our upload is ours. */
const CLOCK_TOLERANCE_MS = 5 * 60_000

/**
 * Compares what we uploaded (state DB) with the bucket's listing. An object that is gone was deleted remotely;
 * one with another size, or written well after our upload, was changed remotely. ETags are not compared: the
 * ETag of an encrypted object is not an MD5 of its content.
 */
export function compareWithRemote(
  pair: SyncPair,
  state: StateDb,
  remote: Map<string, RemoteEntry>,
): RemoteChanges {
  const changes: RemoteChanges = { changed: [], deleted: [] }
  for (const record of state.all(pair.id)) {
    // A local file deleted in an upload-only folder: its object was meant to stay, there is nothing to report.
    if (record.localGone) continue
    const localPath = join(pair.localPath, record.relPath)
    const entry = remote.get(record.objectKey)
    if (!entry) {
      changes.deleted.push({ key: record.objectKey, localPath })
      continue
    }
    if (entry.size !== record.size) {
      changes.changed.push({
        key: record.objectKey,
        localPath,
        reason: `size is now ${entry.size} bytes, we uploaded ${record.size}`,
      })
    } else if (
      entry.lastModified &&
      Date.parse(entry.lastModified) > Date.parse(record.uploadedAt) + CLOCK_TOLERANCE_MS
    ) {
      changes.changed.push({
        key: record.objectKey,
        localPath,
        reason: `rewritten in the bucket on ${entry.lastModified}`,
      })
    }
  }
  return changes
}
