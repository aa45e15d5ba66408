import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import type { IgnoreRules } from './ignore-rules'

/**
 * Of the paths the state DB has rows for, those whose files are gone: deleted, no longer a regular file, or
 * now ignored. A file that cannot be looked at (a folder without permission) is not gone: a mirror pass must
 * never delete remote copies of files it merely cannot read. Only run when a pass saw fewer files than rows.
 */
export function goneFiles(root: string, relPaths: readonly string[], rules: IgnoreRules): string[] {
  return relPaths.filter((relPath) => {
    if (rules.ignores(relPath)) return true
    try {
      return !lstatSync(join(root, relPath)).isFile()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return code === 'ENOENT' || code === 'ENOTDIR'
    }
  })
}
