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
    let rules = perDir.get(relDir)
    if (rules === undefined) {
      try {
        rules = ignore().add(readFileSync(join(root, relDir, IGNORE_FILE), 'utf8'))
      } catch {
        rules = null
      }
      perDir.set(relDir, rules)
    }
    return rules
  }

  /** The folders from the root down to `relDir` that have rules, with each one's rules. */
  function ruleChain(relDir: string): { dir: string; rules: Ignore }[] {
    const chain: { dir: string; rules: Ignore }[] = []
    const parts = relDir ? relDir.split('/') : []
    for (let depth = 0; depth <= parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/')
      const rules = rulesOf(dir)
      if (rules) chain.push({ dir, rules })
    }
    return chain
  }

  /**
   * Checks the entries of one folder whose own path is known not to be ignored (a scan never descends into an
   * ignored folder). The defaults are basename patterns, so they are tested on the name alone; a folder's
   * `.obsignore` chain is looked up once, not per file: this is what keeps a 100,000-file scan fast.
   * `hasIgnoreFile` is what the caller's listing of the folder showed, when it has one.
   */
  function forFolder(relDir: string, hasIgnoreFile?: boolean): (name: string, isDir: boolean) => boolean {
    // The scan's listing already tells whether the folder has a rule file: no failed read per folder.
    if (hasIgnoreFile === false) perDir.set(relDir, null)
    const chain = ruleChain(relDir)
    return (name, isDir) => {
      const entry = isDir ? `${name}/` : name
      if (defaults.ignores(entry)) return true
      const relPath = relDir ? `${relDir}/${entry}` : entry
      return chain.some(({ dir, rules }) => rules.ignores(dir ? relPath.slice(dir.length + 1) : relPath))
    }
  }

  /** `relPath` uses `/`; directories end with `/` so that `dir/` patterns match them. */
  function ignores(relPath: string): boolean {
    if (relPath === '' || relPath === '/') return false
    if (defaults.ignores(relPath)) return true
    const parts = relPath.replace(/\/$/, '').split('/')
    return ruleChain(parts.slice(0, -1).join('/')).some(({ dir, rules }) =>
      rules.ignores(dir ? relPath.slice(dir.length + 1) : relPath),
    )
  }

  return {
    ignores,
    forFolder,
    invalidate(relPathOfIgnoreFile: string): void {
      const dir = dirname(relPathOfIgnoreFile)
      perDir.delete(dir === '.' ? '' : dir)
    },
  }
}

export type IgnoreRules = ReturnType<typeof createIgnoreRules>
