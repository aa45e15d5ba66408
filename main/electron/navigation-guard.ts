import type { WebContents } from 'electron'
import { isSafeExternalUrl } from './external-links'

/**
 * The page never leaves our index.html and never opens windows: navigations, server redirects and
 * window.open are refused, and <webview> cannot be attached. A link the user clicks to an https page (a
 * provider's console, say) is handed to the default browser instead, after the allowlist check.
 * In-page route changes (#/...) do not count as navigations, so the renderer's router is unaffected.
 */
export function guardNavigation(contents: WebContents, openExternal: (url: string) => void): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    event.preventDefault()
    if (isSafeExternalUrl(url)) openExternal(url)
  }
  contents.on('will-navigate', (event) => refuse(event, event.url))
  contents.on('will-frame-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url)
    return { action: 'deny' }
  })
}
