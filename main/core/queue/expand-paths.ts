import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'

export interface SourceFile {
  path: string
  /** Object key relative to the target prefix: the dropped folder's name, then the path inside it. */
  relativeKey: string
  size: number
  mtimeMs: number
}

export interface Expansion {
  files: SourceFile[]
  skipped: { path: string; reason: string }[]
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'ENOENT') return 'it no longer exists'
  if (code === 'ELOOP') return 'a symbolic link loop'
  return code ?? 'cannot be read'
}

function toKey(path: string): string {
  return path.split(sep).join('/')
}

/** Entries looked at between two returns to the event loop. */
const ENTRIES_PER_TURN = 2000

/**
 * Turns dropped files and folders into the files to upload. Folders are walked recursively; symbolic links are
 * followed, but a link back into a folder already being walked is reported as a loop instead of recursing
 * forever; unreadable entries and special files are reported and skipped, never fatal for the rest.
 * Synchronous calls with a return to the event loop every ENTRIES_PER_TURN entries, for the reasons and at
 * the price given in sync/scan-folder.ts: awaiting one stat after the other took ~0.2 s per 2,000 files.
 */
export async function expandPaths(paths: string[]): Promise<Expansion> {
  const result: Expansion = { files: [], skipped: [] }
  let seen = 0

  async function walk(dir: string, root: string, ancestors: Set<string>): Promise<void> {
    let entries: string[]
    try {
      entries = readdirSync(dir).sort()
    } catch (error) {
      result.skipped.push({ path: dir, reason: reasonOf(error) })
      return
    }
    for (const name of entries) await visit(join(dir, name), root, ancestors)
  }

  async function visit(path: string, root: string, ancestors: Set<string>): Promise<void> {
    if (++seen % ENTRIES_PER_TURN === 0) await nextTurn()
    try {
      const link = lstatSync(path)
      const info = link.isSymbolicLink() ? statSync(path) : link
      if (info.isDirectory()) {
        const real = realpathSync(path)
        if (ancestors.has(real)) {
          result.skipped.push({
            path,
            reason: 'a symbolic link loop (it points back into a folder being uploaded)',
          })
          return
        }
        await walk(path, root, new Set([...ancestors, real]))
      } else if (info.isFile()) {
        result.files.push({
          path,
          relativeKey: toKey(join(basename(root), relative(root, path))),
          size: info.size,
          mtimeMs: info.mtimeMs,
        })
      } else {
        result.skipped.push({ path, reason: 'not a regular file (device, socket or pipe)' })
      }
    } catch (error) {
      result.skipped.push({ path, reason: reasonOf(error) })
    }
  }

  for (const path of paths) {
    try {
      const info = statSync(path)
      if (info.isDirectory()) {
        await walk(path, path, new Set([realpathSync(path)]))
      } else if (info.isFile()) {
        result.files.push({ path, relativeKey: basename(path), size: info.size, mtimeMs: info.mtimeMs })
      } else {
        result.skipped.push({ path, reason: 'not a regular file (device, socket or pipe)' })
      }
    } catch (error) {
      result.skipped.push({ path, reason: reasonOf(error) })
    }
  }
  return result
}
