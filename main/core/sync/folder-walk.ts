import { type Dirent, lstatSync, realpathSync, type Stats } from 'node:fs'
import { dirname, relative, sep } from 'node:path'
import type { SkipWhy } from '../../../preload/contract/skip-reasons'

/**
 * The one rule for what a folder walk may pick up, shared by the folder scan, the watcher and dropped folders
 * (and checked again when the queue reads a file):
 * - regular files only, found inside the folder; a hard link is a regular file and counts;
 * - symbolic links are never followed, neither to files nor to folders: a link may point anywhere (another
 *   user's home, /etc, back into the folder), and following it would upload what the folder's owner never put
 *   there. Each link found is reported, so the user knows why a file is missing;
 * - FIFOs, sockets and devices are reported and never opened (opening a FIFO blocks until a writer comes).
 * The folder the user named (a watched folder, a dropped path) is taken as named, even when it is a link:
 * that was the user's choice; the rule holds for everything found inside it.
 */
export const LINK_SKIPPED =
  'a symbolic link (links are not followed, so nothing outside the folder is uploaded)'
export const SPECIAL_SKIPPED = 'not a regular file (device, socket or pipe)'

/**
 * Why an entry is skipped: `why` for a window to word in its language (skipReasons.* in the catalogue, with
 * `errno` for an unreadable one), `reason` in English for the CLI and the log.
 */
export interface Skip {
  why: SkipWhy
  reason: string
  errno?: string
}

/** A path the walk skipped, and why. */
export interface SkippedPath extends Skip {
  path: string
}

export const LINK: Skip = { why: 'link', reason: LINK_SKIPPED }
export const SPECIAL: Skip = { why: 'special', reason: SPECIAL_SKIPPED }
export const SAME_NAME: Skip = {
  why: 'sameName',
  reason: 'another file of this upload has the same name and goes to the same object',
}
const LINK_ON_PATH: Skip = { why: 'linkOnPath', reason: `${LINK_SKIPPED}: a folder on its path is a link` }

type EntryType = Pick<Dirent | Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink'>

/** Why a listed entry is skipped, or undefined for regular files and folders (both looked at without following links). */
export function skipOf(entry: EntryType): Skip | undefined {
  if (entry.isSymbolicLink()) return LINK
  if (entry.isFile() || entry.isDirectory()) return undefined
  return SPECIAL
}

/** The same, in English only (the CLI's and the upload check's sentences). */
export function skipReason(entry: EntryType): string | undefined {
  return skipOf(entry)?.reason
}

/** A file-system error as a reason a user understands. */
export function unreadable(error: unknown): Skip {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') return { why: 'permission', reason: 'permission denied' }
  if (code === 'ENOENT' || code === 'ENOTDIR') return { why: 'gone', reason: 'it no longer exists' }
  if (code === 'ELOOP') return LINK
  const errno = code ?? 'unknown error'
  return { why: 'unreadable', reason: `cannot be read (${errno})`, errno }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep))
}

export type WatchedEntry =
  | { kind: 'file'; size: number; mtimeMs: number }
  | { kind: 'gone' }
  | ({ kind: 'skipped' } & Skip)

/**
 * What a watcher event's path is now, by the same rule. Besides the entry itself (lstat: a link is reported,
 * not followed), the folder holding it must really be inside the watched folder: a subfolder swapped for a
 * link after the watcher saw it would otherwise lead outside.
 */
export function watchedEntry(root: string, absPath: string): WatchedEntry {
  let info: Stats | undefined
  try {
    info = lstatSync(absPath, { throwIfNoEntry: false })
    if (!info) return { kind: 'gone' }
    const skip = skipOf(info)
    if (skip) return { kind: 'skipped', ...skip }
    if (!info.isFile()) return { kind: 'gone' }
    if (!inside(realpathSync(root), realpathSync(dirname(absPath))))
      return { kind: 'skipped', ...LINK_ON_PATH }
    return { kind: 'file', size: info.size, mtimeMs: info.mtimeMs }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'gone' }
    return { kind: 'skipped', ...unreadable(error) }
  }
}
