import type { Envelope } from './envelope'

/**
 * What the preload script exposes as `window.api`: exactly a typed invoke and an event subscription.
 * The renderer never gets ipcRenderer itself.
 */
export interface Bridge {
  invoke(channel: string, args: unknown[]): Promise<Envelope<unknown>>
  /** Returns the function that unsubscribes. */
  on(event: string, listener: (payload: unknown) => void): () => void
}

/** Names of the Electron IPC channels that carry the contract. */
export const IPC_INVOKE = 'obs-sync:invoke'
export const IPC_EVENT = 'obs-sync:event'
