import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openQueueDatabase } from '../../main/core/queue/queue-db'

/**
 * A data folder whose upload queue a newer OBS Sync wrote (found when an older build opened a newer folder: it
 * started, then failed in the middle of work with "Something went wrong inside OBS Sync"). This version must
 * refuse at the start with the reason, and leave the file as it is: it is not damaged, only newer.
 */
describe('an upload queue written by a newer version', () => {
  function newerQueue(): { dir: string; path: string; version: number } {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sync-newer-'))
    const path = join(dir, 'queue.db')
    const current = openQueueDatabase(path)
    const version = (current.pragma('user_version', { simple: true }) as number) + 1
    current.pragma(`user_version = ${version}`)
    current.exec("INSERT INTO settings (name, value) VALUES ('written-by', 'newer')")
    current.close()
    return { dir, path, version }
  }

  it('is refused with DATA_TOO_NEW naming the folder and both formats, and left untouched', () => {
    const { dir, path, version } = newerQueue()
    let thrown: unknown
    try {
      openQueueDatabase(path)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({
      code: 'DATA_TOO_NEW',
      message: `The upload queue in ${dir} was written by a newer version of OBS Sync (queue format ${version}; this version reads up to ${version - 1}). Use that version, or another data folder.`,
      params: { path: dir, found: version, known: version - 1 },
    })
    // Not set aside as damaged, not migrated down: the newer version finds its queue as it left it.
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([])
    const db = new Database(path, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(version)
    expect(db.prepare("SELECT value FROM settings WHERE name = 'written-by'").pluck().get()).toBe('newer')
    db.close()
  })
})
