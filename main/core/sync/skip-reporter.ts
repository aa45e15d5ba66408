import { lstatSync } from 'node:fs'
import type { ActivityExtra } from '../../../preload/contract/sync-models'
import type { SkippedPath } from './folder-walk'

/**
 * The activity line of a path the walk skipped: main's English sentence, and the same as data (the reason's code
 * and, for an unreadable one, the system's error code) for a window to word in its language.
 */
export function skippedLine(p: SkippedPath): [string, ActivityExtra] {
  const params: Record<string, string> = { path: p.path, why: p.why }
  if (p.errno) params.errno = p.errno
  return [`${p.path} is skipped: ${p.reason}.`, { line: { kind: 'skipped', params } }]
}

/**
 * Reports a skipped path once while the same entry stays skipped for the same reason. A watched folder's full
 * pass and its watcher both meet a link (the watcher announces existing links when it starts): the user reads
 * one line for it, not one per look. The entry is told by its inode and change time, because the watcher does
 * not announce a link's removal: a link removed and made again is a new entry, and news again.
 */
/** Which entry is at `path` now: its inode and change time ('' when it cannot be looked at). */
function entryIdentity(path: string): string {
  try {
    const stats = lstatSync(path)
    return `${stats.ino}:${stats.ctimeMs}`
  } catch {
    return ''
  }
}

export function createSkipReporter(
  activity: (level: 'warning', message: string, extra: ActivityExtra) => void,
) {
  const reported = new Map<string, string>()
  return {
    report(p: SkippedPath): void {
      const seen = `${p.why} ${entryIdentity(p.path)}`
      if (reported.get(p.path) === seen) return
      reported.set(p.path, seen)
      activity('warning', ...skippedLine(p))
    },
    /** The path is gone or no longer skipped (a file now). */
    forget(path: string): void {
      reported.delete(path)
    },
  }
}

export type SkipReporter = ReturnType<typeof createSkipReporter>
