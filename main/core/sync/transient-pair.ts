import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import type { SyncPair, TransientSync } from '../../../preload/contract/sync-models'
import { transientSyncSchema } from '../../../preload/contract/sync-models'
import { normalizePrefix } from '../../../preload/contract/target-prefix'

/**
 * A folder synced by `obs-sync sync` / `watch` is not saved as a watched folder; its id is derived from what it
 * syncs (folder, account, bucket, prefix), so that its state DB rows carry over from one run to the next.
 */
export function transientPair(input: TransientSync): SyncPair {
  const parsed = transientSyncSchema.parse(input)
  const localPath = resolve(parsed.localPath)
  // The id keeps the form earlier versions derived it from (leading slashes dropped), so state carries over.
  const idPrefix = parsed.prefix.replace(/^\/+/, '')
  const digest = createHash('sha256')
    .update(`${localPath}\n${parsed.accountId}\n${parsed.bucket}\n${idPrefix}`)
    .digest('hex')
  const { confirmDeletes: _c, checkRemote: _r, ...settings } = parsed
  return {
    ...settings,
    id: `cli-${digest.slice(0, 16)}`,
    localPath,
    prefix: normalizePrefix(parsed.prefix),
    paused: false,
  }
}
