import { stat } from 'node:fs/promises'

type Look = string

async function look(absPath: string): Promise<Look> {
  return stat(absPath).then(
    (s) => `${s.size}:${s.mtimeMs}`,
    () => 'gone',
  )
}

/**
 * Collects watcher events and lets a path through only once it has settled: no event for `settleMs`, and the
 * same size and mtime now as right after its last event (a file still being written is not uploaded). Storms
 * of events are batched: everything that settled in one tick is delivered together. Learned from Syncthing's
 * watch aggregator.
 */
export function createSettleAggregator(
  settleMs: number,
  deliver: (batch: { relPath: string; absPath: string; gone: boolean }[]) => void,
) {
  const pending = new Map<string, { absPath: string; lastEvent: number; afterEvent?: Promise<Look> }>()
  // Ticks much shorter than the settle delay, so a settled file waits at most a quarter of it more.
  const tickMs = Math.max(25, Math.min(250, Math.floor(settleMs / 4)))
  let timer: NodeJS.Timeout | undefined
  let closed = false

  function arm(): void {
    if (closed || timer || pending.size === 0) return
    timer = setTimeout(() => void tick(), tickMs)
  }

  async function tick(): Promise<void> {
    timer = undefined
    const now = Date.now()
    const batch: { relPath: string; absPath: string; gone: boolean }[] = []
    for (const [relPath, entry] of pending) {
      if (now - entry.lastEvent < settleMs) continue
      const [before, current] = await Promise.all([entry.afterEvent, look(entry.absPath)])
      if (pending.get(relPath) !== entry || entry.lastEvent > now) continue
      if (current === 'gone' || current === before) {
        pending.delete(relPath)
        batch.push({ relPath, absPath: entry.absPath, gone: current === 'gone' })
      } else {
        // Changed without an event we saw (or between events): give it another settle period.
        entry.lastEvent = Date.now()
        entry.afterEvent = Promise.resolve(current)
      }
    }
    if (batch.length > 0 && !closed) deliver(batch)
    arm()
  }

  return {
    touch(relPath: string, absPath: string): void {
      pending.set(relPath, { absPath, lastEvent: Date.now(), afterEvent: look(absPath) })
      arm()
    },
    pendingCount: () => pending.size,
    close(): void {
      closed = true
      if (timer) clearTimeout(timer)
    },
  }
}
