import { pathToFileURL } from 'node:url'

/**
 * Only our own page may call the contract: the sender frame's URL must be the built index.html that this
 * process loaded, from the main frame. Anything else (an injected frame, a navigated-away page) is refused.
 */
export function createSenderCheck(
  indexHtmlPath: string,
): (frameUrl: string | undefined, isMainFrame: boolean) => boolean {
  const expected = pathToFileURL(indexHtmlPath)
  return (frameUrl, isMainFrame) => {
    if (!isMainFrame || !frameUrl) return false
    try {
      const url = new URL(frameUrl)
      return url.protocol === 'file:' && url.pathname === expected.pathname
    } catch {
      return false
    }
  }
}
