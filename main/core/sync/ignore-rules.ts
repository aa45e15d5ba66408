import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import ignore, { type Ignore } from 'ignore'
import { PARTIAL_DOWNLOAD_SUFFIX } from '../storage/download-object'

export const IGNORE_FILE = '.obsignore'

/**
 * Never uploaded: temp and OS files, editors' swap files, our own partial downloads (so files our downloads are
 * writing are never picked up), and the ignore file itself.
 */
export const DEFAULT_IGNORES = [
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
  '.Spotlight-V100/',
  '.Trashes/',
  '$RECYCLE.BIN/',
  '*.tmp',
  '*.temp',
  '*.swp',
  '*.swx',
  '*~',
  '~$*',
  '.~lock.*#',
  '*.crdownload',
  '*.part',
  `*${PARTIAL_DOWNLOAD_SUFFIX}`,
  IGNORE_FILE,
]

/**
 * gitignore-style rules per watched folder: the defaults, plus a `.obsignore` in any folder, whose patterns
 * apply to that folder and below (as .gitignore files do). Rule files are read lazily and cached; `invalidate`
 * drops a folder's cache when its `.obsignore` changes.
 */
export function createIgnoreRules(root: string) {
  const defaults = ignore().add(DEFAULT_IGNORES)
  const perDir = new Map<string, Ignore | null>()

  function rulesOf(relDir: string): Ignore | null {
    if (!perDir.has(relDir)) {
      let rules: Ignore | null = null
      try {
        rules = ignore().add(readFileSync(join(root, relDir, IGNORE_FILE), 'utf8'))
      } catch {
        rules = null
      }
      perDir.set(relDir, rules)
    }
    return perDir.get(relDir) ?? null
  }

  /** `relPath` uses `/`; directories end with `/` so that `dir/` patterns match them. */
  function ignores(relPath: string): boolean {
    if (relPath === '' || relPath === '/') return false
    if (defaults.ignores(relPath)) return true
    const parts = relPath.replace(/\/$/, '').split('/')
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/')
      const rules = rulesOf(dir)
      const rest = relPath.slice(dir ? dir.length + 1 : 0)
      if (rules?.ignores(rest)) return true
    }
    return false
  }

  return {
    ignores,
    invalidate(relPathOfIgnoreFile: string): void {
      const dir = dirname(relPathOfIgnoreFile)
      perDir.delete(dir === '.' ? '' : dir)
    },
  }
}

export type IgnoreRules = ReturnType<typeof createIgnoreRules>
