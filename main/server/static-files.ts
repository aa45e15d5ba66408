import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

/** Content types of the files a built renderer has (the web UI and the desktop app serve the same bundle). */
export const CONTENT_TYPES: Record<string, string> = {
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
 * The file of the built renderer a path names, or undefined: the resolved path must stay inside `root` (no
 * `..`, no encoded escapes), and so must its real path (a link in the folder is not followed out of it), and
 * it must be a regular file.
 */
export async function findStaticFile(
  root: string,
  pathname: string,
): Promise<{ file: string; size: number } | 'bad-request' | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return 'bad-request'
  }
  if (decoded.includes('\0')) return 'bad-request'
  const base = await realpath(root).catch(() => resolve(root))
  const inside = (path: string) => path === base || path.startsWith(base + sep)
  const file = await realpath(resolve(base, `.${decoded}`)).catch(() => undefined)
  if (!file || !inside(file)) return undefined
  const info = await stat(file).catch(() => undefined)
  return info?.isFile() ? { file, size: info.size } : undefined
}

/** Serves a file of the built renderer; unknown paths get index.html so the app's own router handles them. */
export async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  let found = await findStaticFile(root, pathname)
  if (found === 'bad-request') return sendText(response, 400, 'Bad request')
  found ??= (await findStaticFile(root, '/index.html')) as { file: string; size: number } | undefined
  if (!found) return sendText(response, 500, 'The web UI is not built: run `npm run build`.')
  response.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': CONTENT_TYPES[extname(found.file)] ?? 'application/octet-stream',
    'Content-Length': found.size,
  })
  // A read error (a disk error, a file replaced meanwhile) ends this response only.
  await pipeline(createReadStream(found.file), response).catch(() => response.destroy())
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(text)
}
