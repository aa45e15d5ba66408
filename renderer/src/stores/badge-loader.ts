import { shallowRef, triggerRef } from 'vue'
import type { ObjectEncryption } from '../../../preload/contract/models'
import { toUiError, type UiError } from '../errors'
import { IpcCallError } from '../ipc/client'

/** An object's encryption as its row shows it: not yet known, known, or unknowable (with why). */
export type Badge =
  | { state: 'loading' }
  | { state: 'known'; encryption: ObjectEncryption }
  | { state: 'error'; error: UiError }

export interface BadgeLoader {
  /** The badge of one object, undefined until it was asked for. Reactive. */
  get(cacheKey: string): Badge | undefined
  /** Records what is already known (from an opened details panel, say). */
  put(cacheKey: string, badge: Badge): void
  /**
   * Asks for the badges of the rows now visible. Replaces the previous wish: rows scrolled past before their
   * turn are not fetched at all, so flinging through 100,000 rows costs a few requests, not 100,000.
   */
  want(cacheKeys: string[]): void
  clear(): void
}

/**
 * Lazily fetches per-object encryption with at most `concurrency` requests in flight and caches each answer
 * (encryption cannot change after upload, so a cached badge stays true until the object is replaced).
 */
export function createBadgeLoader(
  fetch: (cacheKey: string) => Promise<ObjectEncryption>,
  concurrency = 4,
): BadgeLoader {
  const cache = shallowRef(new Map<string, Badge>())
  let queue: string[] = []
  let inFlight = 0
  let flushScheduled = false

  function changed(): void {
    // Many answers arrive close together; re-render once for them.
    if (flushScheduled) return
    flushScheduled = true
    queueMicrotask(() => {
      flushScheduled = false
      triggerRef(cache)
    })
  }

  function put(key: string, badge: Badge): void {
    cache.value.set(key, badge)
    changed()
  }

  async function load(key: string): Promise<void> {
    try {
      put(key, { state: 'known', encryption: await fetch(key) })
    } catch (error) {
      // Reading an SSE-C object's headers needs its key: that refusal is itself the answer.
      if (error instanceof IpcCallError && error.code === 'SSE_C_KEY_REQUIRED') {
        put(key, { state: 'known', encryption: { mode: 'sse-c' } })
      } else {
        put(key, { state: 'error', error: toUiError(error) })
      }
    }
  }

  function pump(): void {
    while (inFlight < concurrency && queue.length > 0) {
      const key = queue.shift()!
      if (cache.value.has(key)) continue
      cache.value.set(key, { state: 'loading' })
      inFlight++
      void load(key).finally(() => {
        inFlight--
        pump()
      })
    }
    changed()
  }

  return {
    get: (key) => cache.value.get(key),
    put,
    want(keys) {
      queue = keys.filter((key) => !cache.value.has(key))
      pump()
    },
    clear() {
      queue = []
      cache.value = new Map()
    },
  }
}
