/**
 * A small typed publish/subscribe, created by a composition root and handed to whoever produces or forwards
 * events (no module-level singleton). Listeners that throw do not stop the others.
 */
export interface EventBus<M extends Record<string, unknown>> {
  emit<E extends keyof M>(event: E, payload: M[E]): void
  on<E extends keyof M>(event: E, listener: (payload: M[E]) => void): () => void
  onAny(listener: <E extends keyof M>(event: E, payload: M[E]) => void): () => void
}

export function createEventBus<M extends Record<string, unknown>>(
  onListenerError: (error: unknown) => void = () => {},
): EventBus<M> {
  const byEvent = new Map<keyof M, Set<(payload: never) => void>>()
  const any = new Set<(event: keyof M, payload: unknown) => void>()

  function call(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      onListenerError(error)
    }
  }

  return {
    emit(event, payload) {
      for (const listener of byEvent.get(event) ?? []) call(() => listener(payload as never))
      for (const listener of any) call(() => listener(event, payload))
    },
    on(event, listener) {
      let set = byEvent.get(event)
      if (!set) {
        set = new Set()
        byEvent.set(event, set)
      }
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
    onAny(listener) {
      const wrapped = listener as (event: keyof M, payload: unknown) => void
      any.add(wrapped)
      return () => any.delete(wrapped)
    },
  }
}
