/**
 * Runs `start` on the first call and hands every later call the same promise, so the work (a client with its
 * keep-alive pool, a one-time migration) is done once; a failure is not kept: the next call starts again, since the
 * cause (an unreadable CA file, a locked keychain) may be gone by then.
 */
export function onceUntilFailure<T>(start: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () =>
    (pending ??= start().catch((error: unknown) => {
      pending = undefined
      throw error
    }))
}
