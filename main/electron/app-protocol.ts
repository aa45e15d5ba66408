import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import type { CustomScheme, Protocol } from 'electron'
import { CONTENT_TYPES, findStaticFile } from '../server/static-files'
import { APP_SCHEME, appPathOf } from './app-url'
import { CONTENT_SECURITY_POLICY } from './session-security'

/**
 * How `app:` is registered (before the app is ready): `standard` gives it real origins, relative URLs and web
 * storage like https; `secure` makes the page a secure context; `corsEnabled` lets the page load its own module
 * scripts (Vite marks them `crossorigin`, and Chromium refuses CORS-mode requests to a scheme without it; no
 * response of ours carries Access-Control-Allow-Origin, so no other origin can read the bundle); `codeCache`
 * keeps V8's compiled code between starts. Not `bypassCSP`: the page's CSP applies in full.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, corsEnabled: true, codeCache: true },
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' }

function answer(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...TEXT, ...pageHeaders() } })
}

/** What every answer carries: the page's CSP as a response header (on top of the meta tag), no sniffing. */
function pageHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  }
}

/**
 * The handler of `app://bundle/<path>`: only regular files whose real path is inside the built renderer folder
 * (the web UI's rule, findStaticFile: no `..`, no encoded escape, no link out of the folder), read-only
 * methods, and the one host. Anything else is 404 (400 for a path that cannot be decoded), never a file from
 * elsewhere and never a fallback page.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Method not allowed')
    const path = appPathOf(request.url)
    if (path === undefined) return answer(404, 'Not found')
    const found = await findStaticFile(rendererDir, path === '/' ? '/index.html' : path)
    if (found === 'bad-request') return answer(400, 'Bad request')
    if (!found) return answer(404, 'Not found')
    const headers = {
      ...pageHeaders(),
      'Content-Type': CONTENT_TYPES[extname(found.file)] ?? 'application/octet-stream',
      'Content-Length': String(found.size),
    }
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers })
    // The bundle's files are small (the largest script is a few hundred KiB): read whole, no stream to leak.
    const body = await readFile(found.file).catch(() => undefined)
    if (!body) return answer(404, 'Not found')
    return new Response(new Uint8Array(body), { status: 200, headers })
  }
}

/** Serves the built renderer on `app://bundle/` for the session's protocol (after the app is ready). */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir))
}
