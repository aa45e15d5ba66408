import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { createPrivateDbFile, PRIVATE_DIR_MODE } from '../data-files'
import { makeFoldersSync } from '../make-folders'
import { openOrSetAside, type RecoveryOptions } from '../sqlite-recovery'

/** What we know we uploaded for one local file of a watched folder. */
export interface FileRecord {
  pairId: string
  relPath: string
  size: number
  mtimeMs: number
  sha256: string
  objectKey: string
  etag?: string
  uploadedAt: string
  /** Upload-only pairs keep the row of a deleted local file (the object stays): it says what we uploaded there. */
  localGone?: boolean
}

interface Row {
  pair_id: string
  rel_path: string
  size: number
  mtime_ms: number
  sha256: string
  object_key: string
  etag: string | null
  uploaded_at: string
  local_gone: number
}

const toRecord = (r: Row): FileRecord => ({
  pairId: r.pair_id,
  relPath: r.rel_path,
  size: r.size,
  mtimeMs: r.mtime_ms,
  sha256: r.sha256,
  objectKey: r.object_key,
  etag: r.etag ?? undefined,
  uploadedAt: r.uploaded_at,
  localGone: r.local_gone === 1 ? true : undefined,
})

const STATE_DB = {
  name: 'sync state',
  setAsideLine: 'state-db-set-aside' as const,
  consequence:
    'Watched folders are compared with the bucket on their next pass: files already there (same SHA-256) are not uploaded again.',
}

function openFile(path: string): Database.Database {
  // Owner-only before SQLite creates it (with the umask); its -wal and -shm files then get the same mode.
  if (path !== ':memory:') createPrivateDbFile(path)
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  return db
}

/** The folder part of a `/`-separated relative path ('' for the root). */
export function folderOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/')
  return slash < 0 ? '' : relPath.slice(0, slash)
}

/**
 * The sync state DB: one row per file we uploaded, keyed by pair and path. Reconciling a folder compares each
 * file's size and mtime with its row, so unchanged files are never hashed or uploaded again. The SHA-256 is ours
 * (the ETag of an encrypted object is not an MD5 and is never used to detect changes).
 *
 * A second table keeps, per folder, a signature of the (name, size, mtime) list it had when every file in it
 * matched its row. A restart whose listing of a folder gives the same signature skips the per-file lookups: that
 * is what makes the catch-up of 100,000 unchanged files cost a walk, not 100,000 queries. Any change to a file
 * row drops its folder's signature, so a signature always means "every file listed matches its row".
 */
export function openStateDb(path: string, recovery: RecoveryOptions = {}) {
  makeFoldersSync(dirname(path), PRIVATE_DIR_MODE)
  const db = openOrSetAside(path, STATE_DB, openFile, recovery)
  db.exec(`CREATE TABLE IF NOT EXISTS files (
    pair_id TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    sha256 TEXT NOT NULL,
    object_key TEXT NOT NULL,
    etag TEXT,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, rel_path)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS folders (
    pair_id TEXT NOT NULL,
    rel_dir TEXT NOT NULL,
    signature TEXT NOT NULL,
    file_count INTEGER NOT NULL,
    PRIMARY KEY (pair_id, rel_dir)
  ) WITHOUT ROWID`)
  // Added after the first release of the table: DBs written before it get the column with its default.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(files)').all()
  if (!columns.some((c) => c.name === 'local_gone'))
    db.exec('ALTER TABLE files ADD COLUMN local_gone INTEGER NOT NULL DEFAULT 0')
  // Counting a pair's live rows from this index, not from the wide rows, is ~10x cheaper per catch-up.
  db.exec('CREATE INDEX IF NOT EXISTS files_live ON files (pair_id, local_gone)')
  const getStmt = db.prepare<[string, string], Row>('SELECT * FROM files WHERE pair_id = ? AND rel_path = ?')
  const upsert = db.prepare(`INSERT OR REPLACE INTO files
    (pair_id, rel_path, size, mtime_ms, sha256, object_key, etag, uploaded_at)
    VALUES (@pairId, @relPath, @size, @mtimeMs, @sha256, @objectKey, @etag, @uploadedAt)`)
  const del = db.prepare('DELETE FROM files WHERE pair_id = ? AND rel_path = ?')
  const iterate = db.prepare<[string], Row>('SELECT * FROM files WHERE pair_id = ? ORDER BY rel_path')
  const paths = db
    .prepare<[string], string>('SELECT rel_path FROM files WHERE pair_id = ? AND local_gone = 0')
    .pluck()
  const count = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM files WHERE pair_id = ? AND local_gone = 0',
  )
  const setGone = db.prepare('UPDATE files SET local_gone = ? WHERE pair_id = ? AND rel_path = ?')
  // The direct children of a folder: its subtree is a key range; deeper paths are skipped in SQLite, so only the
  // folder's own rows cross into JavaScript.
  const children = db
    .prepare<[string, string, string, number], [string, number, number, number]>(
      `SELECT rel_path, size, mtime_ms, local_gone FROM files
       WHERE pair_id = ? AND rel_path >= ? AND rel_path < ? AND instr(substr(rel_path, ?), '/') = 0`,
    )
    .raw()
  const getFolder = db.prepare<[string, string], { signature: string; file_count: number }>(
    'SELECT signature, file_count FROM folders WHERE pair_id = ? AND rel_dir = ?',
  )
  const putFolder = db.prepare(
    'INSERT OR REPLACE INTO folders (pair_id, rel_dir, signature, file_count) VALUES (?, ?, ?, ?)',
  )
  const dropFolder = db.prepare('DELETE FROM folders WHERE pair_id = ? AND rel_dir = ?')
  const recordTx = db.transaction((record: FileRecord) => {
    upsert.run({ ...record, etag: record.etag ?? null })
    dropFolder.run(record.pairId, folderOf(record.relPath))
  })
  const forgetTx = db.transaction((pairId: string, relPath: string) => {
    del.run(pairId, relPath)
    dropFolder.run(pairId, folderOf(relPath))
  })
  const rememberTx = db.transaction(
    (pairId: string, folders: readonly { relDir: string; signature: string; fileCount: number }[]) => {
      for (const f of folders) putFolder.run(pairId, f.relDir, f.signature, f.fileCount)
    },
  )
  const markGoneTx = db.transaction((pairId: string, relPaths: readonly string[]) => {
    for (const relPath of relPaths) {
      setGone.run(1, pairId, relPath)
      dropFolder.run(pairId, folderOf(relPath))
    }
  })

  return {
    get(pairId: string, relPath: string): FileRecord | undefined {
      const row = getStmt.get(pairId, relPath)
      return row ? toRecord(row) : undefined
    },
    record(record: FileRecord): void {
      recordTx(record)
    },
    forget(pairId: string, relPath: string): void {
      forgetTx(pairId, relPath)
    },
    /**
     * Upload-only: these local files were deleted, their objects stay. The rows stay too (a file created again
     * at that path is compared with what we uploaded), but no longer count as files the folder should have.
     */
    markGone(pairId: string, relPaths: readonly string[]): void {
      markGoneTx(pairId, relPaths)
    },
    /** A file marked gone is back with the same size and mtime. */
    markPresent(pairId: string, relPath: string): void {
      setGone.run(0, pairId, relPath)
    },
    /** Rows of a pair one by one (100,000 rows never sit in memory at once). */
    *all(pairId: string): Generator<FileRecord> {
      for (const row of iterate.iterate(pairId)) yield toRecord(row)
    },
    /** Every path of a pair whose file should exist (only needed when a pass finds fewer files than rows). */
    paths(pairId: string): string[] {
      return paths.all(pairId)
    },
    /** Rows of files that should exist (not those marked gone). */
    count(pairId: string): number {
      return count.get(pairId)?.n ?? 0
    },
    /** Size, mtime and gone marker of every row directly in `relDir` ('' = the root), in one query. */
    rowsIn(
      pairId: string,
      relDir: string,
    ): Map<string, { size: number; mtimeMs: number; localGone: boolean }> {
      const prefix = relDir ? `${relDir}/` : ''
      // '0' follows '/': [prefix, prefix-without-slash + '0') is every path under the folder. SQLite's substr
      // counts code points, hence the spread.
      const end = relDir ? `${relDir}0` : '\u{10FFFF}'
      const rows = new Map<string, { size: number; mtimeMs: number; localGone: boolean }>()
      for (const [relPath, size, mtimeMs, gone] of children.iterate(
        pairId,
        prefix,
        end,
        [...prefix].length + 1,
      ))
        rows.set(relPath, { size, mtimeMs, localGone: gone === 1 })
      return rows
    },
    /** The signature stored for a folder whose files all matched their rows, if it is still valid. */
    folder(pairId: string, relDir: string): { signature: string; fileCount: number } | undefined {
      const row = getFolder.get(pairId, relDir)
      return row ? { signature: row.signature, fileCount: row.file_count } : undefined
    },
    /** Call only when every one of each folder's `fileCount` listed files matched its row. */
    rememberFolders(
      pairId: string,
      folders: readonly { relDir: string; signature: string; fileCount: number }[],
    ): void {
      rememberTx(pairId, folders)
    },
    forgetPair(pairId: string): void {
      db.prepare('DELETE FROM files WHERE pair_id = ?').run(pairId)
      db.prepare('DELETE FROM folders WHERE pair_id = ?').run(pairId)
    },
    close(): void {
      db.close()
    },
  }
}

export type StateDb = ReturnType<typeof openStateDb>
