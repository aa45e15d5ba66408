import type { Session } from 'electron'
import { appPathOf } from './app-url'

/**
 * The page's Content Security Policy, sent as a response header on top of the <meta> tag in
 * renderer/index.html: two policies both apply, so the header can only tighten the meta tag, and it still
 * holds if someone edits the HTML. No inline or eval'd script, nothing from the network, no frames, no
 * plugins, no <base> or form tricks. The test checks that every directive of the meta tag is here too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "worker-src 'none'",
  "media-src 'none'",
].join('; ')

/** The response headers with our CSP added (any CSP the response already had stays: policies stack). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  return { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
}

export interface RequestPolicy {
  /** DevTools pages are allowed only in development builds. */
  allowDevTools: boolean
}

/**
 * No remote content and no file:// at all: the page may load its own bundle through `app://bundle/` (which
 * serves only files of the built renderer, app-protocol.ts), inline data: images and fonts, and (in
 * development) DevTools. Everything else, http(s), ws, any file: URL, is cancelled before it leaves.
 */
export function isAllowedRequest(url: string, policy: RequestPolicy): boolean {
  if (url.startsWith('data:')) return true
  if (url.startsWith('devtools://')) return policy.allowDevTools
  return appPathOf(url) !== undefined
}

/**
 * Hardens the session the window uses: CSP header, request filter, and every permission (camera,
 * notifications, geolocation, clipboard read, HID/USB/serial devices...) denied. The app needs none of them;
 * desktop notifications are shown by main, not by the page.
 */
export function hardenSession(session: Session, policy: RequestPolicy): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) })
  })
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, policy) })
  })
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}
