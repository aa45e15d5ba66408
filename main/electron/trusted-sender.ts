import { APP_INDEX_PATH, appPathOf } from './app-url'

/** Decides whether an IPC message comes from our own page; see createSenderCheck. */
export type SenderCheck = (frameUrl: string | undefined, isMainFrame: boolean) => boolean

/**
 * Only our own page may call the contract: the sender frame must be the main frame showing
 * `app://bundle/index.html`, the page this process loads through its own scheme. Anything else (an injected
 * frame, a navigated-away page, a page from the network, any file:// page, another file of the bundle) is
 * refused. A fragment (#/route) or query does not change the page.
 */
export function createSenderCheck(): SenderCheck {
  return (frameUrl, isMainFrame) => isMainFrame && appPathOf(frameUrl) === APP_INDEX_PATH
}
