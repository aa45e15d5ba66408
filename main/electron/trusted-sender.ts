import { resolve } from 'node:path'
import { localPathOf } from './local-file-url'

/** Decides whether an IPC message comes from our own page; see createSenderCheck. */
export type SenderCheck = (frameUrl: string | undefined, isMainFrame: boolean) => boolean

/**
 * Only our own page may call the contract: the sender frame's URL must be the built index.html that this
 * process loaded, from the main frame. Anything else (an injected frame, a navigated-away page, a page from
 * the network, another local file) is refused. A fragment (#/route) or query does not change the page.
 */
export function createSenderCheck(indexHtmlPath: string): SenderCheck {
  const expected = resolve(indexHtmlPath)
  return (frameUrl, isMainFrame) => isMainFrame && localPathOf(frameUrl) === expected
}
