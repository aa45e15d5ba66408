import type { ChannelArgs, ChannelName, ChannelResult } from '../../../preload/contract/channels'
import type { ErrorCode, ErrorParams, IpcError } from '../../../preload/contract/errors'
import type { EventName, EventPayload } from '../../../preload/contract/events'
import type { Transport } from './transport'
import { createWebSocketTransport } from './websocket-transport'

/** A failed call, with the code main gave it (stores branch on the code, views show the message). */
export class IpcCallError extends Error {
  readonly code: ErrorCode
  readonly params?: ErrorParams

  constructor(error: IpcError) {
    super(error.message)
    this.name = 'IpcCallError'
    this.code = error.code
    if (error.params) this.params = error.params
  }
}

export interface IpcClient {
  call<C extends ChannelName>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export function createIpcClient(transport: Transport): IpcClient {
  return {
    async call(channel, ...args) {
      const result = await transport.invoke(channel, args)
      if (!result.ok) throw new IpcCallError(result.error)
      return result.value as never
    },
    on(event, listener) {
      return transport.on(event, listener as (payload: unknown) => void)
    },
  }
}

/** Electron's preload bridge when present, else the headless server's WebSocket on this page's origin. */
export function pickTransport(win: Window): Transport {
  if (win.api) return win.api
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return createWebSocketTransport(`${scheme}//${win.location.host}/ws`)
}
