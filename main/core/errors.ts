import type { ErrorCode, IpcError } from '../../preload/contract/errors'

/**
 * The one error type of the core: a stable code plus a sentence a user can act on. Everything that can fail
 * for a reason the user should know about throws an AppError; anything else is a bug and is reported as
 * INTERNAL without its details (they may hold paths, keys or secrets).
 */
export class AppError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/** Turns anything thrown into what may cross IPC: a code and a message, never a stack. */
export function toIpcError(error: unknown): IpcError {
  if (isAppError(error)) return { code: error.code, message: error.message }
  return { code: 'INTERNAL', message: 'Something went wrong inside OBS Sync. Details are in the log.' }
}
