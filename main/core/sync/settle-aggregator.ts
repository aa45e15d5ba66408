import { stat } from 'node:fs/promises'

/**
 * Collects watcher events and lets a path through only once it has settled: no event for `settleMs` and the
 * same size and mtime on two looks `settleMs` apart (a file still being written is not uploaded). Storms of
 * events are batched: everything that settled in one tick is delivered together. Learned from Syncthing's
 * watch aggregator.
 */
export function createSettleAggregator(
  settleMs: number,
  deliver: (batch: { relPath: string; absPath: string; gone: boolean }[]) => void,
) {
  const pending = new Map<string, { absPath: string; lastEvent: number; lastSeen?: string }>()
  let timer: NodeJS.Timeout | undefined
  let closed = false

  function arm(): void {
    if (closed || timer || pending.size === 0) return
    timer = setTimeout(tick, Math.max(50, Math.floor(settleMs / 2)))
  }

  async function tick(): Promise<void> {
    timer = undefined
    const now = Date.now()
    const batch: { relPath: string; absPath: string; gone: boolean }[] = []
    for (const [relPath, entry] of pending) {
      if (now - entry.lastEvent < settleMs) continue
      const seen = await stat(entry.absPath).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => 'gone',
      )
      if (seen === 'gone') {
        pending.delete(relPath)
        batch.push({ relPath, absPath: entry.absPath, gone: true })
      } else if (seen === entry.lastSeen) {
        pending.delete(relPath)
        batch.push({ relPath, absPath: entry.absPath, gone: false })
      } else {
        // Still changing (or first look): look again after another settle period.
        entry.lastSeen = seen
        entry.lastEvent = now
      }
    }
    if (batch.length > 0 && !closed) deliver(batch)
    arm()
  }

  return {
    touch(relPath: string, absPath: string): void {
      const entry = pending.get(relPath)
      if (entry) {
        entry.lastEvent = Date.now()
        entry.lastSeen = undefined
      } else pending.set(relPath, { absPath, lastEvent: Date.now() })
      arm()
    },
    pendingCount: () => pending.size,
    close(): void {
      closed = true
      if (timer) clearTimeout(timer)
    },
  }
}
