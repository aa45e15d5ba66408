import type { QueueDatabase } from './queue-db'

export interface GroupCommitOptions {
  /** How long grouped writes may wait to be committed together. */
  groupCommitMs: number
  /** Hears of a group commit that failed (disk full, I/O error): its jobs will run again. */
  onCommitError?: (error: unknown) => void
  /** Called after a rollback: whatever the caller keeps in step with the DB may no longer match it. */
  onRollback: () => void
}

/**
 * Transactions for the job store, and its group commit. A commit per finished small file cost as much CPU as its
 * upload (writes of a few WAL pages, every time), so `grouped` work joins one open transaction that is committed
 * at most groupCommitMs later. Reads on this connection see it at once; a crash loses at most that window, which
 * the queue tolerates: a job whose "running" or "done" was lost is simply queued again and re-uploads the same
 * bytes (or finds them on the server, see skipIfRemoteMatches). Anything else written meanwhile commits with the
 * group.
 */
export function createGroupCommit(db: QueueDatabase, options: GroupCommitOptions) {
  // One transaction wrapper for every call: better-sqlite3 builds four new functions for each db.transaction().
  const inTransaction = db.transaction((work: () => unknown) => work())
  let groupTimer: NodeJS.Timeout | undefined

  function commitGroup(): void {
    if (groupTimer) clearTimeout(groupTimer)
    groupTimer = undefined
    if (!db.inTransaction) return
    try {
      db.exec('COMMIT')
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      options.onRollback()
      throw error
    }
  }

  function transaction<T>(work: () => T): T {
    try {
      return inTransaction(work) as T
    } catch (error) {
      options.onRollback()
      throw error
    }
  }

  return {
    /** Runs `work` as one transaction: the writes of one scheduler step cost one commit, not one each. */
    transaction,
    /**
     * Runs `work` (its own savepoint: it applies whole or not at all) inside the group transaction, opened here
     * if none is, and committed within groupCommitMs.
     */
    grouped<T>(work: () => T): T {
      if (!db.inTransaction) {
        db.exec('BEGIN IMMEDIATE')
        groupTimer = setTimeout(() => {
          try {
            commitGroup()
          } catch (error) {
            // Rolled back: as after a crash, the jobs of this group are queued again and run once more.
            options.onCommitError?.(error)
          }
        }, options.groupCommitMs)
      }
      return transaction(work)
    },
    /** Commits the open group now (before stopping, or when a change must be on disk). */
    flush: commitGroup,
  }
}
