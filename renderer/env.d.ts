/// <reference types="vite/client" />
import type { Bridge } from '../preload/contract/bridge'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Present only inside Electron, put there by the preload script. */
    api?: Bridge
  }
}
