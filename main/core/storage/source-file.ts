import { lstatSync, readFileSync, type Stats } from 'node:fs'
import { lstat, readFile } from 'node:fs/promises'
import { AppError } from '../errors'
import { skipReason } from '../sync/folder-walk'

/**
 * Files up to this size are looked at and read synchronously. Each async fs call is a round trip through
 * libuv's thread pool; for a 16 KiB file the five of them (stat, open, read, close, stat) cost more CPU and
 * latency than the bytes, and uploads of many small files went ~8% faster without them (A/B, 2,000 x 16 KiB).
 * The price is the same as the folder scan's (scan-folder.ts): a hung network mount would block the process
 * for as long as it hangs, instead of only this upload. Bigger files keep the async calls.
 */
export const READ_NOW_MAX_BYTES = 1024 * 1024

/** What we remember of a source file to notice that it changed or vanished while we read it. */
export interface SourceSnapshot {
  size: number
  mtimeMs: number
  ino: number
}

function snapshotOf(info: Stats): SourceSnapshot {
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino }
}

function readNow(size: number | undefined): boolean {
  return size !== undefined && size <= READ_NOW_MAX_BYTES
}

/**
 * The file as it is now; `expectedSize` (what the caller last saw) picks the synchronous call for small files.
 * lstat, not stat: a queued file replaced by a link since it was found is refused, not followed (folder-walk.ts).
 */
export async function snapshotSource(path: string, expectedSize?: number): Promise<SourceSnapshot> {
  let info: Stats
  try {
    info = readNow(expectedSize) ? lstatSync(path) : await lstat(path)
  } catch (error) {
    throw sourceError(path, error)
  }
  const skipped = skipReason(info) ?? (info.isFile() ? undefined : 'a folder')
  if (skipped)
    throw new AppError('SOURCE_UNREADABLE', `"${path}" is not uploaded: ${skipped}.`, {
      params: { cause: 'notRegularFile', path },
    })
  return snapshotOf(info)
}

/** The whole content of a small file (see READ_NOW_MAX_BYTES); fs errors as they are. */
export async function readSmallFile(path: string, size: number, signal?: AbortSignal): Promise<Buffer> {
  return readNow(size) ? readFileSync(path) : await readFile(path, { signal })
}

/** Throws SOURCE_CHANGED / SOURCE_GONE when the file is not what it was when the upload started. */
export async function assertUnchanged(path: string, before: SourceSnapshot): Promise<void> {
  const now = await snapshotSource(path, before.size)
  if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) {
    throw new AppError(
      'SOURCE_CHANGED',
      `"${path}" changed while it was being uploaded; it will be uploaded again once it stops changing.`,
      { params: { path } },
    )
  }
}

export function sourceError(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError('SOURCE_GONE', `"${path}" no longer exists.`, { cause: error, params: { path } })
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('SOURCE_UNREADABLE', `"${path}" cannot be read: permission denied.`, {
      cause: error,
      params: { cause: 'permissionDenied', path },
    })
  }
  if (code === 'EISDIR')
    return new AppError('SOURCE_UNREADABLE', `"${path}" is a folder.`, {
      cause: error,
      params: { cause: 'isFolder', path },
    })
  const errno = code ?? 'unknown error'
  return new AppError('SOURCE_UNREADABLE', `"${path}" cannot be read (${errno}).`, {
    cause: error,
    params: { path, errno },
  })
}
