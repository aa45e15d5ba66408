import type { Envelope } from './envelope'

/**
 * What the preload script exposes as `window.api`: exactly a typed invoke and an event subscription.
 * The renderer never gets ipcRenderer itself.
 */
export interface Bridge {
  invoke(channel: string, args: unknown[]): Promise<Envelope<unknown>>
  /** Returns the function that unsubscribes. */
  on(event: string, listener: (payload: unknown) => void): () => void
  /** Desktop only: local paths of files dropped on or picked in the window (web files have none). */
  pathsForFiles?(files: readonly Blob[]): string[]
}

/**
 * The contract's event names without zod, for the sandboxed preload (which cannot load zod); events.ts makes the
 * compiler check that this list and its schemas name the same events.
 */
export const EVENT_NAMES = [
  'accounts:changed',
  'queue:jobs',
  'queue:removed',
  'queue:counts',
  'queue:progress',
  'queue:settings',
  'status:changed',
  'sync:status',
  'activity',
  'downloads:batch',
  'downloads:progress',
  'storage:delete-progress',
  'settings:locale',
] as const

/** Names of the Electron IPC channels that carry the contract. */
export const IPC_INVOKE = 'obs-sync:invoke'
export const IPC_EVENT = 'obs-sync:event'
