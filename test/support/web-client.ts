import { mkdtemp, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { createEventBus } from '../../main/core/events/event-bus'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { startWebServer, type WebServer } from '../../main/server/web-server'
import { handlerDepsStub } from './handler-deps-stub'

/** Plain HTTP and WebSocket clients for the web UI server's tests (an attacker's view: no browser rules). */
export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export function get(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a WebSocket; resolves with the socket or rejects with the HTTP status of the refusal. */
export function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

export function call(ws: WebSocket, id: number, channel: string, args: unknown[] = []): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const frame = JSON.parse(data.toString())
      if (frame.type !== 'response' || frame.id !== id) return
      ws.off('message', onMessage)
      resolve(frame.result)
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ type: 'request', id, channel, args }))
  })
}

/**
 * The contract over a running headless app's WebSocket, as the web UI speaks it (token in the Authorization
 * header): `ask` sends one request and unwraps its envelope (a refusal throws with its error).
 */
export async function contractSocket(appUrl: string, token: string) {
  const ws = await connect(`${appUrl.replace(/^http/, 'ws').replace(/\/?$/, '/')}ws`, {
    Authorization: `Bearer ${token}`,
  })
  let nextId = 1
  const ask = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const result = (await call(ws, nextId++, channel, args)) as { ok: boolean; value?: T; error?: unknown }
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`)
    return result.value as T
  }
  return { ws, ask }
}

/** A web server on a temp renderer folder (index.html, app.js) answering app:info; `bus` pushes events. */
export async function startTestWebServer(options: { token?: string; maxUnreadBytes?: number } = {}) {
  const rendererDir = await mkdtemp(join(tmpdir(), 'obs-sync-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>OBS Sync</title>')
  await writeFile(join(rendererDir, 'app.js'), 'console.log(1)')
  const bus = createEventBus<Record<string, unknown>>()
  const handlers = createHandlers(
    handlerDepsStub({
      appInfo: () => ({
        name: 'OBS Sync',
        version: '9.9.9',
        host: 'web',
        platform: 'x',
        nodeVersion: '20',
        dataDir: '/d',
      }),
    }),
  )
  const server: WebServer = await startWebServer({
    rendererDir,
    dispatch: createDispatch(handlers),
    subscribe: (listener) => bus.onAny((event, payload) => listener(String(event), payload)),
    token: options.token,
    maxUnreadBytes: options.maxUnreadBytes,
  })
  return { server, bus, rendererDir }
}

/** A GET with the path sent exactly as given (no URL normalisation, as `curl --path-as-is` sends it). */
export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close']
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
      socket.write(`${lines.join('\r\n')}\r\n\r\n`)
    })
    let text = ''
    socket.on('data', (data) => (text += data.toString('latin1')))
    socket.on('end', () => {
      const status = Number(text.split(' ')[1])
      const location = /\r\nlocation: ([^\r]*)/i.exec(text)?.[1]
      resolve({ status, location })
    })
    socket.on('error', reject)
  })
}
