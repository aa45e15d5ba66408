import { createHash } from 'node:crypto'
import type { LocalFile } from './scan-folder'

/**
 * A digest of one folder's file list: a file added, removed, renamed, resized or touched changes it. Compared
 * with the signature stored when every file of the folder matched the state DB, it lets a catch-up skip the
 * per-file lookups of an unchanged folder. The same digest of the folder's rows tells, once its uploads are
 * done, that they match what the scan saw.
 */
export function folderSignature(files: readonly Pick<LocalFile, 'relPath' | 'size' | 'mtimeMs'>[]): string {
  // Sorted, so that the listing of a folder and the state DB's rows for it give the same signature.
  const lines = files.map((file) => `${file.relPath}\0${file.size}\0${file.mtimeMs}\n`).sort()
  return createHash('sha256').update(lines.join('')).digest('base64')
}
