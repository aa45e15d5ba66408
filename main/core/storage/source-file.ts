import type { Stats } from 'node:fs'
import { stat } from 'node:fs/promises'
import { AppError } from '../errors'

/** What we remember of a source file to notice that it changed or vanished while we read it. */
export interface SourceSnapshot {
  size: number
  mtimeMs: number
  ino: number
}

function snapshotOf(info: Stats): SourceSnapshot {
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino }
}

export async function snapshotSource(path: string): Promise<SourceSnapshot> {
  let info: Stats
  try {
    info = await stat(path)
  } catch (error) {
    throw sourceError(path, error)
  }
  if (!info.isFile()) throw new AppError('SOURCE_UNREADABLE', `"${path}" is not a regular file.`)
  return snapshotOf(info)
}

/** Throws SOURCE_CHANGED / SOURCE_GONE when the file is not what it was when the upload started. */
export async function assertUnchanged(path: string, before: SourceSnapshot): Promise<void> {
  const now = await snapshotSource(path)
  if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) {
    throw new AppError(
      'SOURCE_CHANGED',
      `"${path}" changed while it was being uploaded; it will be uploaded again once it stops changing.`,
    )
  }
}

export function sourceError(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError('SOURCE_GONE', `"${path}" no longer exists.`, { cause: error })
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('SOURCE_UNREADABLE', `"${path}" cannot be read: permission denied.`, { cause: error })
  }
  if (code === 'EISDIR') return new AppError('SOURCE_UNREADABLE', `"${path}" is a folder.`, { cause: error })
  return new AppError('SOURCE_UNREADABLE', `"${path}" cannot be read (${code ?? 'unknown error'}).`, {
    cause: error,
  })
}
