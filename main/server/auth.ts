import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * The session cookie, named for the server's port: cookies are shared by every port of a host, so a fixed name
 * let two servers (or any other localhost page) overwrite each other's cookie.
 */
export function tokenCookie(port: number): string {
  return `obs_sync_token_${port}`
}

/** A token set by hand (OBS_SYNC_WEB_TOKEN) must be at least this long: it is the web UI's only password. */
export const MIN_TOKEN_CHARS = 32

export function createToken(): string {
  return randomBytes(32).toString('base64url')
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }
  return undefined
}

/**
 * The token a request presents: a Bearer header or this port's session cookie. `?token=` is not one of them:
 * it is accepted only on the first page load, which trades it for the cookie (web-server.ts).
 */
export function presentedToken(request: IncomingMessage, port: number): string | undefined {
  const auth = request.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length)
  return cookieValue(request.headers.cookie, tokenCookie(port))
}

export function hasValidToken(request: IncomingMessage, port: number, token: string): boolean {
  return isToken(presentedToken(request, port), token)
}

export function isToken(presented: string | null | undefined, token: string): boolean {
  return typeof presented === 'string' && sameSecret(presented, token)
}

/** Where the first page load goes once its token became a cookie: a path of this origin, never `//host`. */
export function sameOriginLocation(url: URL): string {
  const search = new URLSearchParams(url.searchParams)
  search.delete('token')
  const query = search.size > 0 ? `?${search}` : ''
  return `/${url.pathname.replace(/^[/\\]+/, '')}${query}`
}

/**
 * Defence against DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends `Host: evil.example`.
 * Only loopback names on our own port are served.
 */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  return (
    hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}` || hostHeader === `[::1]:${port}`
  )
}

/** A WebSocket may be opened by our own page (same origin) or by a non-browser client (no Origin). */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return (
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}` ||
    origin === `http://[::1]:${port}`
  )
}
