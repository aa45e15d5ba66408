import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { type Bridge, EVENT_NAMES, IPC_EVENT, IPC_INVOKE } from './contract/bridge'
import { failure } from './contract/envelope'
import type { EventName } from './contract/events'

// A sandboxed preload can require only 'electron' and a few Node modules, so it takes nothing from the
// contract that pulls zod in: types, the channel names and the envelope helper only.

const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name)

/** Matches the contract's `queue:enqueue` limit: a drop larger than this is cut, not sent. */
const MAX_DROPPED_FILES = 10_000

/**
 * The desktop bridge: the contract plus local paths of files dropped on or picked in the window.
 */
interface DesktopBridge extends Bridge {
  /** Paths of the files that have one (files made in the page have none and are left out). */
  pathsForFiles(files: File[]): string[]
}

const api: DesktopBridge = {
  // The request goes to main as is: main checks the sender and validates channel and arguments. A value
  // that cannot be sent (a function, say) becomes an envelope too, so invoke never rejects.
  invoke: (channel, args) =>
    ipcRenderer.invoke(IPC_INVOKE, channel, args).catch(() =>
      failure({
        code: 'INVALID_ARGUMENT',
        message: `The arguments of ${String(channel)} could not be sent.`,
      }),
    ),
  on(event, listener) {
    if (!isEventName(event)) throw new TypeError(`There is no event "${String(event)}".`)
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.')
    // The page gets the payload only: never the IpcRendererEvent, which leads back to ipcRenderer.
    const wrapped = (_e: Electron.IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_EVENT, wrapped)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped)
    }
  },
  pathsForFiles(files) {
    if (!Array.isArray(files)) return []
    return files.slice(0, MAX_DROPPED_FILES).flatMap((file) => {
      try {
        const path = webUtils.getPathForFile(file)
        return path ? [path] : []
      } catch {
        // Not a File (the page can pass anything): no path.
        return []
      }
    })
  },
}

contextBridge.exposeInMainWorld('api', api)
