import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_EVENT, IPC_INVOKE } from '../../preload/contract/bridge'
import { type Envelope, failure } from '../../preload/contract/envelope'
import type { EventBus } from '../core/events/event-bus'
import type { Dispatch } from '../ipc/dispatch'
import type { EventMap } from '../services'
import type { SenderCheck } from './trusted-sender'

const FORBIDDEN = failure({ code: 'FORBIDDEN_SENDER', message: 'This window may not talk to OBS Sync.' })
const MALFORMED = failure({
  code: 'INVALID_ARGUMENT',
  message: 'A request must name its channel as text and pass its arguments as a list.',
})

export type InvokeHandler = (
  event: IpcMainInvokeEvent,
  channel: unknown,
  args: unknown,
) => Promise<Envelope<unknown>>

/**
 * The one ipcMain handler. In order: the sender must be our page's main frame (a renderer is untrusted, a
 * frame that is not ours more so), the request must have the right shape, then dispatch validates the
 * arguments against the contract. It always answers with an envelope, never throws: an Error thrown across
 * IPC loses its code.
 */
export function createInvokeHandler(
  dispatch: Dispatch,
  isTrustedSender: SenderCheck,
  onInternalError: (error: unknown) => void = () => {},
): InvokeHandler {
  return async (event, channel, args) => {
    const frame = event.senderFrame
    if (!frame || !isTrustedSender(frame.url, frame.parent === null)) return FORBIDDEN
    if (typeof channel !== 'string' || !Array.isArray(args)) return MALFORMED
    try {
      return await dispatch(channel, args)
    } catch (error) {
      onInternalError(error)
      return failure({ code: 'INTERNAL', message: 'OBS Sync could not answer this request.' })
    }
  }
}

/** Registers the handler on the contract's IPC channel; returns the function that removes it. */
export function bindInvokeHandler(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handler: InvokeHandler,
) {
  ipcMain.handle(IPC_INVOKE, handler)
  return () => ipcMain.removeHandler(IPC_INVOKE)
}

/**
 * Pushes every bus event to the window (the bus only carries contract events, already shaped by their
 * producers). The window is looked up on each event, so a window that is gone is simply skipped.
 */
export function forwardEvents(
  bus: Pick<EventBus<EventMap>, 'onAny'>,
  target: () => Pick<WebContents, 'isDestroyed' | 'send'> | undefined,
): () => void {
  return bus.onAny((event, payload) => {
    const contents = target()
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, event, payload)
  })
}
