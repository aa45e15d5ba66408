import { type InjectionKey, inject } from 'vue'
import type { IpcClient } from './client'

export const ipcKey: InjectionKey<IpcClient> = Symbol('ipc')

/** Stores get the client from the app (provided once in main.ts, or a fake one in tests). */
export function useIpc(): IpcClient {
  const client = inject(ipcKey)
  if (!client) throw new Error('The IPC client was not provided to the app.')
  return client
}
