import { chmodSync, closeSync, constants, openSync, statSync } from 'node:fs'
import type { ActivityExtra } from '../../preload/contract/sync-models'
import { makeFoldersSync } from './make-folders'

/** Owner only: the data folder holds which buckets, keys and files the user works with. */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates the data folder owner-only, and says (never fails) when an existing one can be read or entered by other
 * users: the user may have widened it on purpose, so it is reported, not changed (main's English sentence, and
 * the same as an activity line's data). Windows has no such bits.
 */
export function prepareDataDir(
  dir: string,
  platform: NodeJS.Platform = process.platform,
): [string, ActivityExtra] | undefined {
  makeFoldersSync(dir, PRIVATE_DIR_MODE)
  if (platform === 'win32') return undefined
  const bits = statSync(dir).mode & 0o777
  if ((bits & 0o077) === 0) return undefined
  const mode = bits.toString(8)
  return [
    `The data folder ${dir} can be read by other users of this computer (mode ${mode}); run: chmod 700 "${dir}"`,
    { line: { kind: 'data-dir-open', params: { dir, mode } } },
  ]
}

/**
 * Opens (creating if needed) an SQLite database file owner-only before SQLite does: SQLite creates a new file
 * with the process umask (usually 0644), and gives its -wal and -shm files the mode of the database file. Files
 * left by an older version are tightened too. Links are not followed: the data folder holds regular files only.
 */
export function createPrivateDbFile(path: string): void {
  closeSync(openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, PRIVATE_FILE_MODE))
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      chmodSync(file, PRIVATE_FILE_MODE)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
}
