import { type Dirent, lstatSync, readdirSync } from 'node:fs'
import { join, sep } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { LINK, type SkippedPath, skipOf, unreadable } from './folder-walk'
import { IGNORE_FILE, type IgnoreRules } from './ignore-rules'

/** Entries handled between two returns to the event loop (keeps the app's UI, watcher and queue responsive). */
const ENTRIES_PER_TURN = 2000

export interface LocalFile {
  relPath: string
  absPath: string
  size: number
  mtimeMs: number
}

/** The files of one folder, as the scan found them. */
export interface ScannedFolder {
  relDir: string
  files: LocalFile[]
}

/** An entry the walk skipped, and why (folder-walk.ts). */
export type ScanProblem = SkippedPath

/**
 * Walks a watched folder depth-first and yields its files one folder at a time (memory holds one folder, not the
 * tree). Ignored paths are not descended into; unreadable folders and files are reported and skipped; what may be
 * picked up is the one folder-walk rule of folder-walk.ts (regular files only, links and special files reported).
 *
 * Listing and stat calls are synchronous on purpose: on local disks they take microseconds, while the promise
 * versions hand every call to libuv's thread pool and were ~3x slower on a 100,000-file tree. The walk returns to
 * the event loop every ENTRIES_PER_TURN entries, so nothing else waits long. The price: a watched folder on a
 * network mount that stops answering blocks the process until the call times out, where async calls would only
 * hold a pool thread.
 */
export async function* scanFolder(
  root: string,
  rules: IgnoreRules,
  onProblem: (problem: ScanProblem) => void = () => {},
): AsyncGenerator<ScannedFolder> {
  const stack: string[] = ['']
  let sinceTurn = 0
  while (stack.length > 0) {
    const relDir = stack.pop() ?? ''
    const absDir = join(root, relDir)
    // join() would normalize the folder part again for each of 100,000 files.
    const filePrefix = absDir.endsWith(sep) ? absDir : `${absDir}${sep}`
    let entries: Dirent[]
    try {
      // A subfolder replaced by a link since its parent was listed must not be listed through the link.
      if (relDir && lstatSync(absDir).isSymbolicLink()) {
        onProblem({ path: absDir, ...LINK })
        continue
      }
      entries = readdirSync(absDir, { withFileTypes: true })
    } catch (error) {
      onProblem({ path: absDir, ...unreadable(error) })
      continue
    }
    const ignored = rules.forFolder(
      relDir,
      entries.some((entry) => entry.name === IGNORE_FILE),
    )
    const subdirs: string[] = []
    const files: LocalFile[] = []
    for (const entry of entries) {
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!ignored(entry.name, true)) subdirs.push(relPath)
        continue
      }
      const absPath = filePrefix + entry.name
      if (ignored(entry.name, false)) continue
      const skipped = skipOf(entry)
      if (skipped) {
        onProblem({ path: absPath, ...skipped })
        continue
      }
      try {
        // lstat, not stat: a file replaced by a link since the listing is not followed.
        const info = lstatSync(absPath, { throwIfNoEntry: false })
        const replaced = info && skipOf(info)
        // A file deleted between listing and stat is simply gone.
        if (replaced) onProblem({ path: absPath, ...replaced })
        else if (info) files.push({ relPath, absPath, size: info.size, mtimeMs: info.mtimeMs })
      } catch (error) {
        onProblem({ path: absPath, ...unreadable(error) })
      }
      if (++sinceTurn >= ENTRIES_PER_TURN) {
        sinceTurn = 0
        await nextTurn()
      }
    }
    yield { relDir, files }
    stack.push(...subdirs.sort().reverse())
  }
}
