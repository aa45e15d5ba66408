/**
 * A channel that only acts (pause, remove, clear...) answers null once the service is done: the contract's result
 * envelope always carries a value, and the caller learns of a failure from the rejected promise, not the value.
 */
export function command<A extends unknown[]>(act: (...args: A) => unknown): (...args: A) => Promise<null> {
  return async (...args) => {
    await act(...args)
    return null
  }
}
