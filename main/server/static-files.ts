import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** The web UI's own Content-Security-Policy: our files and our WebSocket only, no framing, no plugins. */
export const WEB_UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': WEB_UI_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  }
}

/**
 * Serves a file of the built renderer. The resolved path must stay inside `root` (no `..`, no encoded
 * escapes); unknown paths fall back to index.html so the app's own router can handle them.
 */
export async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  const base = resolve(root)
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return sendText(response, 400, 'Bad request')
  }
  if (decoded.includes('\0')) return sendText(response, 400, 'Bad request')
  let file = resolve(base, `.${decoded}`)
  if (file !== base && !file.startsWith(base + sep)) return sendText(response, 404, 'Not found')
  let info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) {
    file = resolve(base, 'index.html')
    info = await stat(file).catch(() => undefined)
    if (!info?.isFile()) return sendText(response, 500, 'The web UI is not built: run `npm run build`.')
  }
  response.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
  })
  createReadStream(file).pipe(response)
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(text)
}
