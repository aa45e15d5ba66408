import { createHash } from 'node:crypto'
import type { LocalFile } from './scan-folder'

/**
 * A digest of one folder's file list: a file added, removed, renamed, resized or touched changes it. Compared
 * with the signature stored when every file of the folder matched the state DB, it lets a catch-up skip the
 * per-file lookups of an unchanged folder.
 */
export function folderSignature(files: readonly LocalFile[]): string {
  // Listing order: a folder whose listing is unchanged lists in the same order. Should a file system reorder an
  // unchanged folder, the signature differs and the pass only falls back to the per-file comparison.
  let text = ''
  for (const file of files) text += `${file.relPath}\0${file.size}\0${file.mtimeMs}\n`
  return createHash('sha256').update(text).digest('base64')
}
