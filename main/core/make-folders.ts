import { mkdirSync, statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { AppError, isDiskFull } from './errors'

/**
 * `mkdir -p` without Node's `{ recursive: true }`: on Node 20 that spins at full CPU for ever when the kernel answers
 * ENOENT for a folder whose parent exists (any path under /proc or /sys: `obs-sync --data-dir /proc/x`, or a
 * download into one, never returned). Here each missing folder is made once, outermost first. A refusal names the
 * folder and the system's reason (EACCES, EROFS, ENOTDIR, ENOENT...); a full disk stays the system's error, which
 * the callers report as a full disk.
 */
function missingFolders(dir: string, exists: (path: string) => boolean): string[] {
  const missing: string[] = []
  for (let current = resolve(dir); !exists(current); current = dirname(current)) {
    missing.unshift(current)
    if (dirname(current) === current) break
  }
  return missing
}

function refusal(folder: string) {
  return (error: NodeJS.ErrnoException): void => {
    // Made meanwhile by another process (or another download of the same batch): fine.
    if (error.code === 'EEXIST') return
    if (isDiskFull(error)) throw error
    const errno = error.code ?? 'unknown error'
    throw new AppError('INVALID_ARGUMENT', `The folder ${folder} cannot be created (${errno}).`, {
      cause: error,
      params: { cause: 'folderNotCreated', folder, errno },
    })
  }
}

function existsSync(path: string): boolean {
  try {
    return statSync(path) !== undefined
  } catch (error) {
    // ENOTDIR: a part of the path is a file; the mkdir below then says so with the folder's name.
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return false
    throw error
  }
}

export function makeFoldersSync(dir: string, mode?: number): void {
  for (const folder of missingFolders(dir, existsSync)) {
    try {
      mkdirSync(folder, { mode })
    } catch (error) {
      refusal(folder)(error as NodeJS.ErrnoException)
    }
  }
}

export async function makeFolders(dir: string, mode?: number): Promise<void> {
  // The walk up stats synchronously: a handful of calls, and it keeps one rule for both forms.
  for (const folder of missingFolders(dir, existsSync)) await mkdir(folder, { mode }).catch(refusal(folder))
}
