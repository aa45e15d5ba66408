import type { Dirent, Stats } from 'node:fs'
import { opendir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { IgnoreRules } from './ignore-rules'

/** Stats in flight at once while scanning a folder (libuv runs them on its thread pool). */
const STAT_BATCH = 64

export interface LocalFile {
  relPath: string
  absPath: string
  size: number
  mtimeMs: number
}

export interface ScanProblem {
  path: string
  reason: string
}

/**
 * Walks a watched folder depth-first, yielding files one at a time (opendir streams each directory, so memory
 * stays flat for 100,000 files). Ignored paths are not descended into; unreadable folders are reported and
 * skipped; symbolic links are not followed (a link may point anywhere, including back into the folder).
 */
export async function* scanFolder(
  root: string,
  rules: IgnoreRules,
  onProblem: (problem: ScanProblem) => void = () => {},
): AsyncGenerator<LocalFile> {
  const stack: string[] = ['']
  while (stack.length > 0) {
    const relDir = stack.pop() ?? ''
    let dir: AsyncIterable<Dirent>
    try {
      dir = await opendir(join(root, relDir), { bufferSize: 256 })
    } catch (error) {
      onProblem({ path: join(root, relDir), reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' })
      continue
    }
    const subdirs: string[] = []
    const files: string[] = []
    for await (const entry of dir) {
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!rules.ignores(`${relPath}/`)) subdirs.push(relPath)
      } else if (entry.isFile() && !rules.ignores(relPath)) {
        files.push(relPath)
      }
    }
    // Stats of one folder run in parallel batches (libuv's thread pool), still yielded in order.
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const batch = files.slice(i, i + STAT_BATCH)
      const infos = await Promise.all(
        batch.map((relPath) => stat(join(root, relPath)).catch((error: unknown) => error)),
      )
      for (const [n, relPath] of batch.entries()) {
        const info = infos[n]
        const absPath = join(root, relPath)
        if (info instanceof Error || !info) {
          const code = (info as NodeJS.ErrnoException | undefined)?.code
          // A file deleted between listing and stat is simply gone; anything else is worth reporting.
          if (code !== 'ENOENT') onProblem({ path: absPath, reason: code ?? 'unreadable' })
          continue
        }
        yield { relPath, absPath, size: (info as Stats).size, mtimeMs: (info as Stats).mtimeMs }
      }
    }
    stack.push(...subdirs.sort().reverse())
  }
}
