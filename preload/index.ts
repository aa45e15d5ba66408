import { contextBridge, ipcRenderer } from 'electron'
import { type Bridge, IPC_EVENT, IPC_INVOKE } from './contract/bridge'

// Exposes exactly the contract's two verbs. The renderer never sees ipcRenderer or any Node API.
const api: Bridge = {
  invoke: (channel, args) => ipcRenderer.invoke(IPC_INVOKE, channel, args),
  on(event, listener) {
    const wrapped = (_e: Electron.IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_EVENT, wrapped)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped)
    }
  },
}

contextBridge.exposeInMainWorld('api', api)
