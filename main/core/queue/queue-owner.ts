import Database from 'better-sqlite3'
import { createPrivateDbFile } from '../data-files'
import { AppError } from '../errors'

/**
 * Makes this process the one that runs the upload queue in `dbPath`, until the returned function releases it.
 * Two processes running one queue (the desktop app and `obs-sync watch` on the same data folder) would each
 * re-queue the other's running jobs at start and upload them twice. The hold is an exclusive SQLite lock on a
 * small file beside the queue: the OS drops it when the process ends in any way (kill -9 included), so there is
 * no stale lock to clean up. Reading the queue (`obs-sync status`) needs no hold.
 */
export function holdQueue(dbPath: string): () => void {
  createPrivateDbFile(`${dbPath}.owner`)
  const lock = new Database(`${dbPath}.owner`)
  try {
    lock.pragma('busy_timeout = 0')
    lock.pragma('journal_mode = MEMORY')
    lock.pragma('locking_mode = EXCLUSIVE')
    // The first write takes the exclusive lock; in this locking mode it is kept until the connection closes.
    lock.exec(`CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, since TEXT NOT NULL)`)
    lock.prepare('DELETE FROM owner').run()
    lock.prepare('INSERT INTO owner (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString())
  } catch (error) {
    lock.close()
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new AppError(
        'QUEUE_IN_USE',
        'Another OBS Sync (the desktop app or an obs-sync command) is already running uploads from this data folder. Quit it first, or give this command its own --data-dir.',
        { cause: error },
      )
    }
    throw error
  }
  return () => lock.close()
}
