import { closeSync, existsSync, fstatSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import type Database from 'better-sqlite3'
import type { ActivityExtra } from '../../preload/contract/sync-models'

/**
 * SQLite's answers for a file that is not a database or is damaged (its extended codes start the same way).
 * Anything else (locked, busy, disk full, no permission) is NOT corruption: such a file is never moved aside.
 */
const CORRUPTION = /^SQLITE_(NOTADB|CORRUPT)/

class DamagedDatabase extends Error {
  readonly code = 'SQLITE_CORRUPT'
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && CORRUPTION.test(code)
}

/**
 * A cheap look at the file's header (https://www.sqlite.org/fileformat.html#the_database_header): a database
 * shorter than the page count its header gives, or not a whole number of pages, was cut short. Only looked at
 * when there is no write-ahead log with content: after a clean close there is none, and while one exists the
 * header is not yet up to date (the file grows at the next checkpoint).
 */
function headerSaysTruncated(path: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const size = fstatSync(fd).size
    if (size < 100) return false // new or empty (SQLite's own check answers for 1-99 bytes)
    const header = Buffer.alloc(100)
    readSync(fd, header, 0, 100, 0)
    if (header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return false // not ours to judge: NOTADB
    const rawPageSize = header.readUInt16BE(16)
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
    // The page count is valid only when the change counter matches "version-valid-for" (SQLite 3.7.0+ writers).
    const pageCountValid = header.readUInt32BE(24) === header.readUInt32BE(92)
    const pages = header.readUInt32BE(28)
    return size % pageSize !== 0 || (pageCountValid && pages > 0 && size < pages * pageSize)
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

const walHasContent = (path: string): boolean => {
  try {
    return statSync(`${path}-wal`).size > 0
  } catch {
    return false
  }
}

/** Moves the file (and its write-ahead log, which belongs to it) to `<path>.corrupt-<time>`; answers that name. */
function setAside(path: string, now: Date): string {
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, aside)
  if (existsSync(`${path}-wal`)) renameSync(`${path}-wal`, `${aside}-wal`)
  rmSync(`${path}-shm`, { force: true })
  return aside
}

export interface RecoveryOptions {
  /** Told (once) when the file was damaged and set aside: a sentence for the user, and the same as data. */
  onSetAside?: (message: string, extra: ActivityExtra) => void
  now?: () => Date
}

/**
 * Opens one of our SQLite files with `open` and checks it can be read. A truncated or garbage file would
 * otherwise fail at start for ever, or later in the middle of some query: it is moved aside as
 * `<name>.corrupt-<time>` (kept for the user or a support request, never deleted), the user is told what that
 * means (`consequence`), and a fresh file is made.
 *
 * Garbage fails the first read (SQLITE_NOTADB). A file cut short is seen from its header when it was closed
 * cleanly; after a crash (a write-ahead log left with content) `quick_check` reads every page (~0.4 s for a
 * 27 MB state DB of 100,000 files: too slow for every start, where the catch-up of unchanged folders costs ~1 s).
 * Damage inside a file of the right length is found only when a query reads it.
 */
export function openOrSetAside(
  path: string,
  what: { name: string; consequence: string; setAsideLine: 'queue-db-set-aside' | 'state-db-set-aside' },
  open: (path: string) => Database.Database,
  options: RecoveryOptions = {},
): Database.Database {
  let db: Database.Database | undefined
  try {
    const afterCrash = walHasContent(path)
    if (!afterCrash && headerSaysTruncated(path)) throw new DamagedDatabase('shorter than its header says')
    db = open(path)
    // Reads the first page whatever `open` did: garbage answers SQLITE_NOTADB here.
    db.pragma('schema_version')
    const check = afterCrash ? db.pragma('quick_check', { simple: true }) : 'ok'
    if (check !== 'ok') throw new DamagedDatabase(String(check))
    return db
  } catch (error) {
    try {
      db?.close()
    } catch {
      // A damaged file may fail to close cleanly too; it is set aside either way.
    }
    if (!isCorruption(error)) throw error
    const aside = setAside(path, options.now?.() ?? new Date())
    options.onSetAside?.(
      `The ${what.name} (${path}) was damaged and could not be read: it was moved aside to ${aside} and a new one was started. ${what.consequence}`,
      { line: { kind: what.setAsideLine, params: { path, aside } } },
    )
    return open(path)
  }
}
