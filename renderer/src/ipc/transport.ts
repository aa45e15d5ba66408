import type { Envelope } from '../../../preload/contract/envelope'

/** How the client reaches main: Electron's preload bridge or the headless server's WebSocket. */
export interface Transport {
  invoke(channel: string, args: unknown[]): Promise<Envelope<unknown>>
  on(event: string, listener: (payload: unknown) => void): () => void
}
