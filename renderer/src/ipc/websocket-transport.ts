import type { Envelope } from '../../../preload/contract/envelope'
import { type RequestFrame, serverFrameSchema } from '../../../preload/contract/wire'
import type { Transport } from './transport'

const RECONNECT_DELAY_MS = 1000

/**
 * JSON has no NaN or Infinity and writes them as null, which an argument that may be null reads as "none": an
 * unreadable number typed as the upload limit arrived as "no limit" and removed the limit in force. Sent as text
 * instead, they are refused as not a number, as the desktop app's IPC (which keeps NaN) refuses them.
 */
function keepNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value
}

/**
 * The web UI's transport: one WebSocket to the page's own origin (the token travels in the HttpOnly cookie the
 * server set on first load). Requests wait for the socket; if it drops, pending requests fail with a clear
 * NETWORK error and the socket reconnects.
 */
export function createWebSocketTransport(url: string): Transport {
  let socket: WebSocket | undefined
  let opened: Promise<WebSocket> | undefined
  let nextId = 1
  const pending = new Map<number, (result: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  function connect(): Promise<WebSocket> {
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.addEventListener('open', () => {
        socket = ws
        resolve(ws)
      })
      ws.addEventListener('message', (message) => receive(String(message.data)))
      ws.addEventListener('close', () => {
        socket = undefined
        opened = undefined
        for (const settle of pending.values()) {
          settle({ ok: false, error: { code: 'NETWORK', message: 'The connection to OBS Sync was lost.' } })
        }
        pending.clear()
        reject(new Error('closed'))
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => {}), RECONNECT_DELAY_MS)
      })
    })
    return opened
  }

  function receive(data: string): void {
    const frame = serverFrameSchema.safeParse(JSON.parse(data))
    if (!frame.success) return
    if (frame.data.type === 'response') {
      pending.get(frame.data.id)?.(frame.data.result as Envelope<unknown>)
      pending.delete(frame.data.id)
    } else {
      for (const listener of listeners.get(frame.data.event) ?? []) listener(frame.data.payload)
    }
  }

  return {
    async invoke(channel, args) {
      let ws: WebSocket
      try {
        ws = socket ?? (await connect())
      } catch {
        return {
          ok: false,
          error: { code: 'NETWORK', message: 'OBS Sync is not reachable. Is `obs-sync serve` running?' },
        }
      }
      const id = nextId++
      const frame: RequestFrame = { type: 'request', id, channel, args }
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify(frame, keepNonFinite))
      })
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      set.add(listener)
      void connect().catch(() => {})
      return () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(event)
      }
    },
  }
}
