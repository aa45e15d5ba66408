import type { ErrorCode, ErrorParams, IpcError } from '../../preload/contract/errors'

/**
 * The one error type of the core: a stable code plus a sentence a user can act on. Everything that can fail
 * for a reason the user should know about throws an AppError; anything else is a bug and is reported as
 * INTERNAL without its details (they may hold paths, keys or secrets).
 */
export class AppError extends Error {
  readonly code: ErrorCode
  /** What the message names (a key id, a bucket...), so a window can word it in its own language. */
  readonly params?: ErrorParams

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; params?: ErrorParams }) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
    if (options?.params) this.params = options.params
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/**
 * A full disk, as SQLite or Node's file system (a download's target) report it: SQLITE_FULL (a write to one of
 * our DBs), SQLITE_IOERR_SHMSIZE (opening a DB cannot size its shared-memory file: seen at start on a full
 * disk), ENOSPC / EDQUOT. It is not a bug: the user can free space, and nothing already saved is lost.
 */
const DISK_FULL_CODES: ReadonlySet<unknown> = new Set([
  'ENOSPC',
  'EDQUOT',
  'SQLITE_FULL',
  'SQLITE_IOERR_SHMSIZE',
])

export function isDiskFull(error: unknown): boolean {
  return DISK_FULL_CODES.has((error as { code?: unknown } | undefined)?.code)
}

export const DISK_FULL_MESSAGE =
  'The disk is full: OBS Sync could not save its data (the upload queue, the sync state or a download). Free some space; what was saved before is kept and work carries on.'

/** Turns anything thrown into what may cross IPC: a code and a message, never a stack. */
export function toIpcError(error: unknown): IpcError {
  if (isAppError(error)) {
    return error.params
      ? { code: error.code, message: error.message, params: error.params }
      : { code: error.code, message: error.message }
  }
  if (isDiskFull(error)) return { code: 'DISK_FULL', message: DISK_FULL_MESSAGE }
  return { code: 'INTERNAL', message: 'Something went wrong inside OBS Sync. Details are in the log.' }
}
