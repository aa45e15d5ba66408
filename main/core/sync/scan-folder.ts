import type { Dirent } from 'node:fs'
import { opendir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { IgnoreRules } from './ignore-rules'

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
    for await (const entry of dir) {
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!rules.ignores(`${relPath}/`)) subdirs.push(relPath)
      } else if (entry.isFile() && !rules.ignores(relPath)) {
        const absPath = join(root, relPath)
        try {
          const info = await stat(absPath)
          yield { relPath, absPath, size: info.size, mtimeMs: info.mtimeMs }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          // A file deleted between listing and stat is simply gone; anything else is worth reporting.
          if (code !== 'ENOENT') onProblem({ path: absPath, reason: code ?? 'unreadable' })
        }
      }
    }
    stack.push(...subdirs.sort().reverse())
  }
}
