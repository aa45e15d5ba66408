import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import {
  type EventFrame,
  MAX_FRAME_BYTES,
  type ResponseFrame,
  requestFrameSchema,
} from '../../preload/contract/wire'
import { AppError } from '../core/errors'
import type { Dispatch } from '../ipc/dispatch'
import {
  createToken,
  hasValidToken,
  isAllowedOrigin,
  isLoopbackHost,
  isToken,
  MIN_TOKEN_CHARS,
  sameOriginLocation,
  tokenCookie,
} from './auth'
import { findStaticFile, securityHeaders, sendText, serveStatic } from './static-files'
import { handleTransferRoute, type TransferRouteDeps } from './transfer-routes'

export interface WebServerOptions {
  rendererDir: string
  dispatch: Dispatch
  /** Subscribes to every event main pushes; returns the unsubscribe function. */
  subscribe: (listener: (event: string, payload: unknown) => void) => () => void
  port?: number
  token?: string
  /** Object downloads to the browser and files dropped into it (absent: those routes answer 404). */
  transfers?: TransferRouteDeps
  /** The most a client may leave unread before its connection is dropped (default MAX_UNREAD_BYTES). */
  maxUnreadBytes?: number
}

/**
 * What a client may leave unread: a client that stops reading while it asks for pages or while uploads run is
 * sent frames that pile up in this process (500 unread pages of 500 jobs held 260 MB); past this its connection
 * is dropped, as a lost one is, and the page connects again. A window that reads keeps ~0 unread.
 */
export const MAX_UNREAD_BYTES = 32 * 1024 * 1024

export interface WebServer {
  url: string
  /** The URL to open in a browser: carries the token once; the page then keeps it in a cookie. */
  openUrl: string
  port: number
  token: string
  close(): Promise<void>
}

/**
 * The headless web UI: the built renderer plus the contract's handlers over a WebSocket, on 127.0.0.1 only.
 * Every HTTP request and every WebSocket connection must present the random token; the Host header must be a
 * loopback name (DNS rebinding) and a browser's Origin must be our own (cross-site WebSocket hijacking).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? createToken()
  // An AppError, so every shell shows the rule (a plain Error would reach the user as "Something went wrong").
  if (token.length < MIN_TOKEN_CHARS)
    throw new AppError(
      'INVALID_ARGUMENT',
      `OBS_SYNC_WEB_TOKEN must have at least ${MIN_TOKEN_CHARS} characters (it has ${token.length}): it is the web UI's only password. Set a longer one, or unset it to get a random token.`,
    )
  let port = 0
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })

  const server = createServer((request, response) => {
    handleHttp(request, response).catch(() => sendText(response, 500, 'Internal error'))
  })

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isLoopbackHost(request.headers.host, port)) return sendText(response, 403, 'Forbidden host')
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    const isRead = request.method === 'GET' || request.method === 'HEAD'
    const queryToken = url.searchParams.get('token')
    // The printed URL's token, on a page load only (not an asset, not the WebSocket): it wins over any cookie
    // already there (a stale one from an earlier run, or one planted by another localhost page) and replaces it,
    // and leaves the address bar, history and logs at once.
    if (
      isRead &&
      isToken(queryToken, token) &&
      !url.pathname.startsWith('/api/') &&
      !(await findStaticFile(options.rendererDir, url.pathname))
    ) {
      response.writeHead(303, {
        ...securityHeaders(),
        'Set-Cookie': `${tokenCookie(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: sameOriginLocation(url),
      })
      response.end()
      return
    }
    if (queryToken !== null || !hasValidToken(request, port, token)) {
      return sendText(response, 401, 'OBS Sync: this address needs the token printed by `obs-sync serve`.')
    }
    if (url.pathname.startsWith('/api/') && options.transfers) {
      // A POST must come from our own page: a cross-site form cannot carry the SameSite cookie, and this
      // refuses the rest (a script sending the Bearer token has no Origin header and is allowed).
      const sameOrigin = (origin: string | undefined) => isAllowedOrigin(origin, port)
      if (await handleTransferRoute(request, response, url, options.transfers, sameOrigin)) return
    }
    // Every other path is the web UI's page (its views are client-side routes); an API path that is not a route
    // is an error for the script or the typo that asked, not a page.
    if (url.pathname.startsWith('/api/'))
      return sendText(response, 404, 'OBS Sync: there is no such API route.')
    if (!isRead) return sendText(response, 405, 'Method not allowed')
    await serveStatic(options.rendererDir, url.pathname, response)
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets the connection mid-handshake must not end the server.
    socket.on('error', () => socket.destroy())
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    const allowed =
      url.pathname === '/ws' &&
      isLoopbackHost(request.headers.host, port) &&
      isAllowedOrigin(request.headers.origin, port) &&
      hasValidToken(request, port, token)
    if (!allowed) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveConnection(ws))
  })

  const maxUnread = options.maxUnreadBytes ?? MAX_UNREAD_BYTES

  function serveConnection(ws: WebSocket): void {
    const send = (frame: EventFrame | ResponseFrame) => {
      if (ws.readyState !== WebSocket.OPEN) return
      if (ws.bufferedAmount > maxUnread) return ws.terminate()
      ws.send(JSON.stringify(frame))
    }
    const unsubscribe = options.subscribe((event, payload) => send({ type: 'event', event, payload }))
    ws.on('close', unsubscribe)
    // A malformed frame (too big, invalid UTF-8, unmasked) is an 'error' on this socket: without a listener it
    // would end the whole process. The library has already answered with a close code; drop the connection.
    ws.on('error', () => ws.terminate())
    ws.on('message', async (data) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(data.toString())
      } catch {
        ws.close(1003, 'Frames must be JSON')
        return
      }
      const frame = requestFrameSchema.safeParse(parsed)
      if (!frame.success) {
        ws.close(1003, 'Not a request frame')
        return
      }
      // A client dropped for what it left unread asks nothing more.
      if (ws.readyState !== WebSocket.OPEN) return
      const result = await options.dispatch(frame.data.channel, frame.data.args)
      send({ type: 'response', id: frame.data.id, result })
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/`

  return {
    url,
    openUrl: `${url}?token=${token}`,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
