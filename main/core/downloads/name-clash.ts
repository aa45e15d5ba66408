import { lstat } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { digestFile } from '../storage/hashing'

/** What we know of the object on the other side of a clash. */
export interface RemoteFacts {
  size: number
  /** ISO date of the object's last modification. */
  lastModified?: string
  /** Our SHA-256 of the content, from the object metadata (absent on objects written by other tools). */
  sha256?: string
}

export interface LocalFacts {
  size: number
  mtimeMs: number
}

/** The file at `path` if something exists there (links included: never followed), else undefined. */
export async function existingEntry(path: string): Promise<LocalFacts | undefined> {
  try {
    const entry = await lstat(path)
    return { size: entry.size, mtimeMs: entry.mtimeMs }
  } catch (error) {
    // ENOTDIR: a part of the path is a file, so nothing is there (making its folder fails with the reason).
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

/**
 * True when the local file holds the same content as the object: by our SHA-256 when the object carries it
 * (the ETag of an encrypted object is no MD5, so it is never used), else by equal size and a modification time
 * within a second of the object's (downloads set the file's time to the object's, so an unchanged pair matches).
 */
export async function sameContent(path: string, local: LocalFacts, remote: RemoteFacts): Promise<boolean> {
  if (local.size !== remote.size) return false
  if (remote.sha256) return (await digestFile(path)).sha256Hex === remote.sha256
  if (!remote.lastModified) return false
  return Math.abs(Date.parse(remote.lastModified) - local.mtimeMs) < 1000
}

/** `name (1).ext`, `name (2).ext`, ...: the first sibling name that does not exist yet (keep both). */
export async function uniqueSiblingName(
  path: string,
  taken: ReadonlySet<string> = new Set(),
): Promise<string> {
  const ext = extname(path)
  const stem = basename(path, ext)
  for (let n = 1; ; n++) {
    const candidate = join(dirname(path), `${stem} (${n})${ext}`)
    if (!taken.has(candidate) && !(await existingEntry(candidate))) return candidate
  }
}
