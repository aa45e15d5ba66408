import { type Stats, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { IpcError } from '../../../preload/contract/errors'

/** How often a running pair looks at its folder (an unmount gives no watcher event at all). */
export const PRESENCE_CHECK_MS = 1000

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

/**
 * Whether a watched folder is still there. A folder deleted or renamed away, and a disk or share unmounted,
 * look to a scan and to the watcher exactly like "every file was deleted": in mirror mode that would delete
 * the remote copies. So nothing is planned or deleted while the folder is missing.
 *
 * An unmounted folder usually leaves its (empty) mount point behind: when the folder was a mount point at
 * start (another device than its parent folder), it is missing as soon as it is on its parent's device again,
 * and back when something is mounted there again (a remount gets a new device number, so the device itself is
 * not compared).
 */
/** The catalogue's names for why a watched folder is missing (errorCauses.*). */
type MissingCause = 'folderMissing' | 'folderNotFolder' | 'folderUnmounted'

export function createFolderPresence(root: string) {
  const rootStat = statOrUndefined(root)
  const parentStat = statOrUndefined(dirname(root))
  const wasMountPoint = !!rootStat && !!parentStat && rootStat.dev !== parentStat.dev

  return {
    /** Why the folder is missing (in English, and as the cause a window words), or undefined when it is there. */
    missingReason(): { text: string; cause: MissingCause } | undefined {
      const now = statOrUndefined(root)
      if (!now)
        return {
          text: `The watched folder ${root} is missing (deleted, renamed or its disk unmounted)`,
          cause: 'folderMissing',
        }
      if (!now.isDirectory())
        return { text: `The watched folder ${root} is no longer a folder`, cause: 'folderNotFolder' }
      if (wasMountPoint && now.dev === statOrUndefined(dirname(root))?.dev)
        return { text: `The disk or share mounted at ${root} is no longer mounted`, cause: 'folderUnmounted' }
      return undefined
    },
  }
}

export type FolderPresence = ReturnType<typeof createFolderPresence>

/**
 * A pair's view of its folder's presence: `missing()` is asked before anything is planned or deleted (and shows
 * the pair as "folder missing" once, with an activity line); `poll()`, on a timer while watching, also says
 * when the folder went missing or came back, so that the watcher is stopped or started again.
 */
export function createMissingFolderGuard(
  root: string,
  hooks: { warn: (message: string, error: IpcError) => void; showMissing: (error: IpcError) => void },
) {
  const presence = createFolderPresence(root)
  let missing = false

  function isMissing(): boolean {
    const reason = presence.missingReason()
    if (!reason) {
      missing = false
      return false
    }
    const message = `${reason.text}. Nothing is uploaded or deleted remotely until it is back.`
    if (!missing) {
      missing = true
      const error: IpcError = {
        code: 'FOLDER_MISSING',
        message,
        params: { cause: reason.cause, folder: root },
      }
      hooks.warn(message, error)
      hooks.showMissing(error)
    }
    return true
  }

  return {
    missing: isMissing,
    poll(): 'gone' | 'back' | undefined {
      const was = missing
      const now = isMissing()
      if (now === was) return undefined
      return now ? 'gone' : 'back'
    },
  }
}
