import {
  bandwidthLimitSchema,
  DEFAULT_REQUEST_LIMIT,
  requestLimitSchema,
} from '../../../preload/contract/queue-settings'
import type { QueueDatabase } from './queue-db'

const REQUEST_LIMIT = 'request_limit'
const BANDWIDTH_LIMIT = 'bandwidth_limit_kib'

/**
 * The queue's own settings kept in `queue.db` (its `settings` table, next to how long finished uploads stay):
 * the data folder's, so the desktop app, `obs-sync serve` and the CLI of that folder share them.
 */
export function createQueueSettings(db: QueueDatabase) {
  const get = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck()
  const set = db.prepare('INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)')
  const remove = db.prepare('DELETE FROM settings WHERE name = ?')
  // Changes when another connection (another process on this data folder) commits to the queue DB; never for this
  // connection's own writes. One cheap read: no file is scanned.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  return {
    /** A number that changes when another process committed to the queue DB (SQLite's data_version). */
    writtenElsewhere(): number {
      return dataVersion.get() ?? 0
    },
    /** The saved request limit; the default when none was saved (or a value out of range, hand-edited). */
    requestLimit(): number {
      const saved = requestLimitSchema.safeParse(Number(get.get(REQUEST_LIMIT)))
      return saved.success ? saved.data : DEFAULT_REQUEST_LIMIT
    },
    setRequestLimit(requests: number): void {
      set.run(REQUEST_LIMIT, String(requestLimitSchema.parse(requests)))
    },
    /** The saved upload rate limit in KiB/s; null: none saved (or a value out of range, hand-edited). */
    bandwidthLimit(): number | null {
      const value = get.get(BANDWIDTH_LIMIT)
      if (value === undefined) return null
      const saved = bandwidthLimitSchema.safeParse(Number(value))
      return saved.success ? saved.data : null
    },
    /** Saves the upload rate limit in KiB/s; null removes it. */
    setBandwidthLimit(kibPerSecond: number | null): void {
      if (kibPerSecond === null) remove.run(BANDWIDTH_LIMIT)
      else set.run(BANDWIDTH_LIMIT, String(bandwidthLimitSchema.parse(kibPerSecond)))
    },
  }
}

export type QueueSettings = ReturnType<typeof createQueueSettings>
