/**
 * Events gathered over a short window and sent together, in order, as a few bounded batches: thousands of small
 * events (a job changed, a line logged) a second become a few WebSocket or IPC frames instead of thousands.
 *
 * - `windowMs`: how long the first event of a batch waits for others.
 * - `maxBytes` / `maxItems`: a batch is cut when the next item would pass either (its JSON size counted), so a
 *   frame stays well under the shells' frame budget; the rest of the window goes in the next batches at once.
 * - `keyOf`: items with the same key replace each other (each sent once, as it is last, at the place of its latest
 *   change); without it every item is kept and sent in the order it was added.
 *
 * `flush` sends what is waiting at once: whoever is about to act on what was sent (a waiter resolving, a removal,
 * a stop, an answer listing the same items) calls it first.
 */
export function createEventBatches<T>(
  emit: (items: T[]) => void,
  options: { windowMs: number; maxBytes: number; maxItems: number; keyOf?: (item: T) => unknown },
) {
  const pending = new Map<unknown, T>()
  let nextKey = 0
  let timer: NodeJS.Timeout | undefined

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (pending.size === 0) return
    const items = [...pending.values()]
    pending.clear()
    let batch: T[] = []
    let bytes = 2 // the brackets of the array
    for (const item of items) {
      const size = Buffer.byteLength(JSON.stringify(item)) + 1
      if (batch.length > 0 && (bytes + size > options.maxBytes || batch.length >= options.maxItems)) {
        emit(batch)
        batch = []
        bytes = 2
      }
      batch.push(item)
      bytes += size
    }
    emit(batch)
  }

  return {
    /** Sent with the others of this window. */
    add(item: T): void {
      const key = options.keyOf ? options.keyOf(item) : nextKey++
      // Moved to the end: in the order of their latest change.
      pending.delete(key)
      pending.set(key, item)
      if (!timer) {
        timer = setTimeout(flush, options.windowMs)
        timer.unref?.()
      }
    },
    flush,
  }
}

export type EventBatches<T> = ReturnType<typeof createEventBatches<T>>
