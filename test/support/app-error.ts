import { expect } from 'vitest'
import { AppError } from '../../main/core/errors'

/** The AppError a promise rejects with (its code and sentence are what a user sees); fails if it resolves. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}
