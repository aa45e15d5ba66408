import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'obs_sync_token'

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

/** The token a request presents: the session cookie, a Bearer header, or `?token=` (first page load). */
export function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const auth = request.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length)
  return cookieValue(request.headers.cookie, TOKEN_COOKIE) ?? url.searchParams.get('token') ?? undefined
}

export function hasValidToken(request: IncomingMessage, url: URL, token: string): boolean {
  const presented = presentedToken(request, url)
  return presented !== undefined && sameSecret(presented, token)
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
