/**
 * The desktop window's page is served by our own privileged scheme, never from file:// (Electron's security
 * checklist, item 18): `app://bundle/<path inside the built renderer folder>`. The page's origin is then
 * `app://bundle` alone, and no other local file shares it.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'bundle'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_PATH = '/index.html'
export const APP_INDEX_URL = `${APP_ORIGIN}${APP_INDEX_PATH}`

/**
 * The path an `app://bundle/...` URL names (dot segments resolved by the URL parser, percent-encoding kept), or
 * undefined for anything else: another scheme or host, a port or user name, a malformed URL. Query and
 * fragment (the renderer's #/route) are not part of the path.
 */
export function appPathOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
    if (parsed.username || parsed.password) return undefined
    return parsed.pathname || '/'
  } catch {
    return undefined
  }
}
