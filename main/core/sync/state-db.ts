import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

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
})

/**
 * The sync state DB: one row per file we uploaded, keyed by pair and path. Reconciling a folder compares each
 * file's size and mtime with its row, so unchanged files are never hashed or uploaded again. The SHA-256 is ours
 * (the ETag of an encrypted object is not an MD5 and is never used to detect changes).
 */
export function openStateDb(path: string) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
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
  ) WITHOUT ROWID`)
  const getStmt = db.prepare<[string, string], Row>('SELECT * FROM files WHERE pair_id = ? AND rel_path = ?')
  const upsert = db.prepare(`INSERT OR REPLACE INTO files
    (pair_id, rel_path, size, mtime_ms, sha256, object_key, etag, uploaded_at)
    VALUES (@pairId, @relPath, @size, @mtimeMs, @sha256, @objectKey, @etag, @uploadedAt)`)
  const del = db.prepare('DELETE FROM files WHERE pair_id = ? AND rel_path = ?')
  const iterate = db.prepare<[string], Row>('SELECT * FROM files WHERE pair_id = ? ORDER BY rel_path')
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM files WHERE pair_id = ?')

  return {
    get(pairId: string, relPath: string): FileRecord | undefined {
      const row = getStmt.get(pairId, relPath)
      return row ? toRecord(row) : undefined
    },
    record(record: FileRecord): void {
      upsert.run({ ...record, etag: record.etag ?? null })
    },
    forget(pairId: string, relPath: string): void {
      del.run(pairId, relPath)
    },
    /** Rows of a pair one by one (100,000 rows never sit in memory at once). */
    *all(pairId: string): Generator<FileRecord> {
      for (const row of iterate.iterate(pairId)) yield toRecord(row)
    },
    count(pairId: string): number {
      return count.get(pairId)?.n ?? 0
    },
    forgetPair(pairId: string): void {
      db.prepare('DELETE FROM files WHERE pair_id = ?').run(pairId)
    },
    close(): void {
      db.close()
    },
  }
}

export type StateDb = ReturnType<typeof openStateDb>
