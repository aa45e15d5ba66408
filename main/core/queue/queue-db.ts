import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { createPrivateDbFile, PRIVATE_DIR_MODE } from '../data-files'
import { AppError } from '../errors'
import { makeFoldersSync } from '../make-folders'
import { openOrSetAside, type RecoveryOptions } from '../sqlite-recovery'

export type QueueDatabase = Database.Database

const SCHEMA_VERSION = 6

/**
 * The queue lives in SQLite (WAL): state changes are committed transactions (those of finished small jobs in
 * groups a few milliseconds apart, see JobStore.grouped), so a crash, kill -9 or power loss leaves the queue
 * as it was after the last commit. `synchronous = NORMAL` in WAL mode loses at most the last transactions on
 * power loss, never consistency; a lost "running" or "done" only means one more (idempotent) upload.
 */
export function openQueueDatabase(path: string, recovery: RecoveryOptions = {}): QueueDatabase {
  makeFoldersSync(dirname(path), PRIVATE_DIR_MODE)
  return openOrSetAside(path, QUEUE_DB, openChecked, recovery)
}

const QUEUE_DB = {
  name: 'upload queue',
  setAsideLine: 'queue-db-set-aside' as const,
  consequence:
    'Uploads that were waiting in it are not known any more: add them again (watched folders catch up by themselves).',
}

function openChecked(path: string): QueueDatabase {
  // Owner-only before SQLite creates it (with the umask); its -wal and -shm files then get the same mode.
  if (path !== ':memory:') createPrivateDbFile(path)
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // Every grouped step is a savepoint in the open group transaction (group-commit.ts); the pages it may have to
  // put back went to a temporary file once they passed 64 KiB, which finishing one small upload and claiming the
  // next does (~16 pages): tens of thousands of pwrite calls per 2,000 files. Kept in memory they are a copy each.
  // Nothing durable lives in temporary storage (the WAL is the journal), and our queries sort through indexes.
  db.pragma('temp_store = MEMORY')
  const version = db.pragma('user_version', { simple: true }) as number
  // A newer OBS Sync wrote this file: its tables are not the ones this version's queries expect (they would fail
  // later, in the middle of an upload). Refused with a reason; the file is left as it is for the newer version.
  if (version > SCHEMA_VERSION) {
    db.close()
    throw new AppError(
      'DATA_TOO_NEW',
      `The upload queue in ${dirname(path)} was written by a newer version of OBS Sync (queue format ${version}; this version reads up to ${SCHEMA_VERSION}). Use that version, or another data folder.`,
      { params: { path: dirname(path), found: version, known: SCHEMA_VERSION } },
    )
  }
  if (version < SCHEMA_VERSION) db.transaction(() => migrate(db, version))()
  return db
}

/** Brings a queue DB from `version` to SCHEMA_VERSION, in one transaction. */
function migrate(db: QueueDatabase, version: number): void {
  if (version < 1) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        bucket TEXT NOT NULL,
        object_key TEXT NOT NULL,
        source_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        sha256 TEXT,
        encryption TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        changed_retries INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        bytes_done INTEGER NOT NULL DEFAULT 0,
        upload_id TEXT,
        part_size INTEGER,
        retry_at INTEGER,
        origin TEXT NOT NULL,
        sync_pair_id TEXT,
        etag TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS jobs_runnable ON jobs (state, id);
      CREATE INDEX IF NOT EXISTS jobs_target ON jobs (account_id, bucket, object_key);
      CREATE INDEX IF NOT EXISTS jobs_pair ON jobs (sync_pair_id, state);
      CREATE TABLE IF NOT EXISTS paused_accounts (
        account_id TEXT PRIMARY KEY,
        reason_code TEXT NOT NULL,
        reason_message TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    `)
  }
  if (version < 2) {
    // Jobs per state, kept by triggers: the status summary (several times a second) read them with a GROUP BY
    // over the whole table, ~12 ms with 100,000 jobs.
    db.exec(`
      CREATE TABLE IF NOT EXISTS job_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL);
      DELETE FROM job_counts;
      INSERT INTO job_counts (state, n) SELECT state, COUNT(*) FROM jobs GROUP BY state;
      CREATE TRIGGER IF NOT EXISTS job_counts_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO job_counts (state, n) VALUES (NEW.state, 1)
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER IF NOT EXISTS job_counts_delete AFTER DELETE ON jobs BEGIN
        UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
      END;
      CREATE TRIGGER IF NOT EXISTS job_counts_update AFTER UPDATE OF state ON jobs
        WHEN OLD.state IS NOT NEW.state BEGIN
        UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
        INSERT INTO job_counts (state, n) VALUES (NEW.state, 1)
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
    `)
  }
  if (version < 3) {
    // The storage class asked for (S3 id), travelling with the job like its encryption; NULL = bucket default.
    addColumnOnce(db, 'jobs', 'storage_class')
  }
  if (version < 4) {
    // Pages of the queue newest first, filtered by state and by account or watched folder (job-pages.ts): each
    // filter has an index ending in id, so a page of 100 among 100,000 jobs reads ~100 index entries.
    // Problems (failed, held, retrying jobs) have an error: a partial index keeps them cheap to find among many
    // queued jobs without one. Done jobs are pruned by age into upload_history (job-history.ts).
    db.exec(`
      CREATE INDEX IF NOT EXISTS jobs_account_page ON jobs (account_id, state, id);
      DROP INDEX IF EXISTS jobs_pair;
      CREATE INDEX IF NOT EXISTS jobs_pair_page ON jobs (sync_pair_id, state, id);
      CREATE INDEX IF NOT EXISTS jobs_with_error ON jobs (state, account_id, error_code, error_message, id)
        WHERE error_code IS NOT NULL;
      CREATE INDEX IF NOT EXISTS jobs_done_age ON jobs (state, updated_at) WHERE state = 'done';
      CREATE TABLE IF NOT EXISTS upload_history (
        day TEXT PRIMARY KEY,
        uploads INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
    `)
  }
  if (version < 5) {
    // An error's params (JSON: the key id, bucket... its sentence names) next to its code and English message, so
    // that a failure read back (problem groups, pages, after a restart) is worded in the window's language with
    // them. Rows from before keep NULL: they are worded by their code's general sentence, as they were.
    addColumnOnce(db, 'jobs', 'error_params')
    addColumnOnce(db, 'paused_accounts', 'reason_params')
  }
  if (version < 6) historyByScope(db)
  db.pragma(`user_version = ${SCHEMA_VERSION}`)
}

/**
 * "Uploaded earlier" of a Transfers view narrowed to an account or watched folder counts that one's uploads: the
 * history keeps a row per day, account and watched folder ('' when the upload was not of a folder). SQLite cannot
 * change a primary key, so the table is copied. Rows counted before keep their day, count and bytes, with '' for
 * both: whose they were is not known, so they count only in the whole queue's figure.
 */
function historyByScope(db: QueueDatabase): void {
  const columns = db.prepare('PRAGMA table_info(upload_history)').all() as { name: string }[]
  // A file rolled back to an older user_version may already have the new table.
  if (columns.some((c) => c.name === 'account_id')) return
  db.exec(`
    CREATE TABLE upload_history_by_scope (
      day TEXT NOT NULL,
      account_id TEXT NOT NULL DEFAULT '',
      sync_pair_id TEXT NOT NULL DEFAULT '',
      uploads INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      PRIMARY KEY (day, account_id, sync_pair_id)
    );
    INSERT INTO upload_history_by_scope (day, uploads, bytes) SELECT day, uploads, bytes FROM upload_history;
    DROP TABLE upload_history;
    ALTER TABLE upload_history_by_scope RENAME TO upload_history;
  `)
}

/** A TEXT column, checked first: a file rolled back to an older user_version may already have it. */
function addColumnOnce(db: QueueDatabase, table: string, column: string): void {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`)
}
