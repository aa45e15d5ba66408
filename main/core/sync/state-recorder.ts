import { isDiskFull } from '../errors'
import type { FileRecord, StateDb } from './state-db'

/** How often records the state DB could not take (a full disk) are tried again. */
export const STATE_RETRY_MS = 2000

export interface StateRecorderHooks {
  /** The state DB is full (true: records wait in memory and are tried again), or takes records again (false). */
  diskFull(full: boolean): void
  /** A record failed for another reason: it is dropped (the next pass compares the file with the bucket). */
  failed(error: unknown): void
}

/**
 * Writes what a watched folder uploaded into the state DB. When only the state DB cannot be written (its disk
 * is full) the uploads themselves are fine: their records wait in memory and are written, in order, as soon as
 * the disk has room (tried every STATE_RETRY_MS), so nothing is uploaded again and no row is lost. Should the
 * process end first, the next pass finds those files in the bucket with our SHA-256 and records them then.
 */
export function createStateRecorder(
  state: Pick<StateDb, 'record'>,
  hooks: StateRecorderHooks,
  retryMs = STATE_RETRY_MS,
) {
  const waiting: FileRecord[] = []
  let full = false
  let timer: NodeJS.Timeout | undefined

  function flush(): void {
    while (waiting.length > 0) {
      try {
        state.record(waiting[0] as FileRecord)
      } catch (error) {
        if (!isDiskFull(error)) {
          waiting.shift()
          hooks.failed(error)
          continue
        }
        if (!full) {
          full = true
          hooks.diskFull(true)
        }
        timer ??= setTimeout(() => {
          timer = undefined
          flush()
        }, retryMs)
        return
      }
      waiting.shift()
    }
    if (full) {
      full = false
      hooks.diskFull(false)
    }
  }

  return {
    record(record: FileRecord): void {
      waiting.push(record)
      if (!timer) flush()
    },
    /** Records still waiting for room on the disk. */
    get waiting(): number {
      return waiting.length
    },
    /** One last try (the app stops); what still does not fit is found again by the next pass. */
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = undefined
      flush()
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
