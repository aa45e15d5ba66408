import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import ignore, { type Ignore } from 'ignore'
import { PARTIAL_DOWNLOAD_SUFFIX } from '../storage/download-object'
import { LINK, type SkippedPath, SPECIAL, unreadable } from './folder-walk'

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

/** A bigger rule file is not a rule file: reading it whole would cost memory and time for nothing. */
export const IGNORE_FILE_MAX_BYTES = 1024 * 1024

function accessible(folder: string): boolean {
  try {
    accessSync(folder, constants.R_OK | constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The rules of one `.obsignore`, or undefined when there is none. Opened without following a link and without
 * blocking (a FIFO named `.obsignore` would wait for a writer forever), then read only when it is a regular
 * file of at most IGNORE_FILE_MAX_BYTES; anything else is reported and gives no rules.
 */
function readIgnoreFile(path: string, onProblem: (problem: SkippedPath) => void) {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // A folder that cannot be read at all is reported by the walk itself, not once more for its rule file.
    const folderLocked = (code === 'EACCES' || code === 'EPERM') && !accessible(dirname(path))
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && !folderLocked)
      onProblem({ path, ...(code === 'ELOOP' ? LINK : unreadable(error)) })
    return undefined
  }
  try {
    const info = fstatSync(fd)
    if (!info.isFile()) onProblem({ path, ...SPECIAL })
    else if (info.size > IGNORE_FILE_MAX_BYTES)
      onProblem({ path, why: 'tooLarge', reason: 'larger than 1 MiB, not read' })
    else return readFileSync(fd, 'utf8')
  } catch (error) {
    onProblem({ path, ...unreadable(error) })
  } finally {
    closeSync(fd)
  }
  return undefined
}

/**
 * gitignore-style rules per watched folder: the defaults, plus a `.obsignore` in any folder, whose patterns
 * apply to that folder and below (as .gitignore files do). Rule files are read lazily and cached; `invalidate`
 * drops a folder's cache when its `.obsignore` changes.
 */
export function createIgnoreRules(root: string, onProblem: (problem: SkippedPath) => void = () => {}) {
  const defaults = ignore().add(DEFAULT_IGNORES)
  const perDir = new Map<string, Ignore | null>()

  function rulesOf(relDir: string): Ignore | null {
    let rules = perDir.get(relDir)
    if (rules === undefined) {
      const text = readIgnoreFile(join(root, relDir, IGNORE_FILE), onProblem)
      rules = text === undefined ? null : ignore().add(text)
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
