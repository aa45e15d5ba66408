import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net'

/**
 * A small TCP fault proxy for tests and benches (toxiproxy cannot be installed here and the kernel has no
 * netem). It forwards bytes between a client and one target without looking at them, so TLS passes through
 * untouched: the client still verifies the target's certificate (which must name the address the client
 * dials, e.g. 127.0.0.1).
 *
 * Faults, switchable at any time, also while connections are open (`setMode`, `setLink`):
 * - `pass`: forward both ways.
 * - `blackhole`: accept and read, never forward or answer (a captive portal, a firewall that drops, a dead VPN).
 *   Connections that were black-holed stay dead after switching back: the bytes they sent are gone, as on a
 *   real dropped link once the peer has given up. New connections work again.
 * - `stall` after N bytes: each connection forwards N more client bytes, then neither direction moves (reading
 *   stops, so the client's socket buffers fill up). Switching back to `pass` releases stalled connections
 *   where they stopped, nothing lost (a link that froze and came back).
 * - `reset` after N bytes: each connection forwards N more client bytes, then both sides get a TCP RST.
 * - `refuse`: the port stops listening (ECONNREFUSED) and open connections are reset (the gateway died).
 * Link shape, independent of the mode: added latency per direction and a bandwidth cap per direction (shared
 * by all connections, like one link). N counts from the connection's start or from the `setMode` call,
 * whichever is later.
 */
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'blackhole' }
  | { kind: 'stall'; afterBytes: number }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'refuse' }

export interface LinkShape {
  /** Added one-way delay, client -> target. */
  upLatencyMs?: number
  /** Added one-way delay, target -> client. */
  downLatencyMs?: number
  /** Cap in bytes per second, client -> target (all connections together). */
  upBytesPerSecond?: number
  /** Cap in bytes per second, target -> client. */
  downBytesPerSecond?: number
}

export interface FaultProxyOptions {
  targetHost: string
  targetPort: number
  /** Port to listen on (default: a free one). */
  listenPort?: number
  /**
   * Loopback address to listen on (default 127.0.0.1). Another one (127.0.0.2) reaches the same target under
   * a name its certificate does not list: a certificate mismatch on demand.
   */
  listenHost?: string
  mode?: FaultMode
  link?: LinkShape
}

export interface FaultProxyStats {
  /** Connections accepted so far. */
  connections: number
  /** Connections open now. */
  open: number
  /** Bytes received from clients (all modes, black-holed ones included). */
  bytesFromClients: number
  /** Bytes delivered to the target. */
  bytesToTarget: number
  /** Bytes delivered to clients. */
  bytesToClients: number
}

export interface FaultProxy {
  readonly port: number
  readonly host: string
  /** `https://<listen host>:<port>` or with another scheme: the endpoint clients should use. */
  url(scheme?: 'https' | 'http'): string
  setMode(mode: FaultMode): Promise<void>
  setLink(link: LinkShape): void
  stats(): FaultProxyStats
  /** Resolves once a byte counter reaches `bytes` (e.g. bytesToTarget: a request is in flight). */
  waitFor(counter: keyof FaultProxyStats, atLeast: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** Chunks are released in order at their due time; reading pauses while too much is waiting. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024

interface Direction {
  name: 'up' | 'down'
  conn: Connection
  from: Socket
  to: Socket
  queue: { at: number; chunk: Buffer }[]
  queued: number
  timer?: NodeJS.Timeout
  lastDueAt: number
  /** The sender half-closed: end the receiver once the queue is delivered. */
  pendingEnd?: boolean
  /** Waiting for the receiver's 'drain' (one listener, however many writes were refused meanwhile). */
  awaitingDrain?: boolean
}

interface Connection {
  client: Socket
  target: Socket
  up: Direction
  down: Direction
  /** Client bytes forwarded since the current mode began, for stall/reset thresholds. */
  forwardedInMode: number
  blackholed: boolean
  stalled: boolean
  /** Client bytes read while stalled, released when the stall ends. */
  held: Buffer[]
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let mode: FaultMode = options.mode ?? { kind: 'pass' }
  let link: LinkShape = { ...options.link }
  const connections = new Set<Connection>()
  const counters: FaultProxyStats = {
    connections: 0,
    open: 0,
    bytesFromClients: 0,
    bytesToTarget: 0,
    bytesToClients: 0,
  }
  const watchers = new Set<() => void>()
  const changed = () => {
    for (const w of [...watchers]) w()
  }
  // One bandwidth budget per direction, shared by every connection (as on one link).
  const pipeFreeAt = { up: 0, down: 0 }

  const server: Server = createServer((client) => accept(client))
  server.on('error', () => {})
  let port = options.listenPort ?? 0
  const host = options.listenHost ?? '127.0.0.1'
  await listen()

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        port = (server.address() as { port: number }).port
        resolve()
      })
    })
  }

  function accept(client: Socket): void {
    counters.connections++
    counters.open++
    client.setNoDelay(true)
    const target = tcpConnect({ host: options.targetHost, port: options.targetPort })
    target.setNoDelay(true)
    target.pause()
    const conn = {
      client,
      target,
      forwardedInMode: 0,
      blackholed: mode.kind === 'blackhole',
      stalled: false,
      held: [],
    } as unknown as Connection
    conn.up = { name: 'up', conn, from: client, to: target, queue: [], queued: 0, lastDueAt: 0 }
    conn.down = { name: 'down', conn, from: target, to: client, queue: [], queued: 0, lastDueAt: 0 }
    connections.add(conn)
    let closed = false
    const close = () => {
      if (closed) return
      closed = true
      counters.open--
      connections.delete(conn)
      for (const d of [conn.up, conn.down]) if (d.timer) clearTimeout(d.timer)
      client.destroy()
      target.destroy()
      changed()
    }
    client.on('error', close)
    target.on('error', close)
    client.on('close', close)
    target.on('close', close)
    // A half-close travels on once everything before it was delivered.
    client.on('end', () => endAfterQueue(conn.up))
    target.on('end', () => endAfterQueue(conn.down))
    client.on('data', (chunk: Buffer) => {
      counters.bytesFromClients += chunk.length
      changed()
      fromClient(conn, chunk)
    })
    target.on('data', (chunk: Buffer) => {
      if (conn.blackholed || conn.stalled) return
      enqueue(conn.down, chunk)
    })
    target.on('connect', () => target.resume())
  }

  function fromClient(conn: Connection, chunk: Buffer): void {
    if (conn.blackholed) return
    if (conn.stalled) {
      conn.held.push(chunk)
      return
    }
    if (mode.kind === 'stall' || mode.kind === 'reset') {
      const room = mode.afterBytes - conn.forwardedInMode
      if (chunk.length >= room) {
        if (room > 0) forward(conn, chunk.subarray(0, room))
        if (mode.kind === 'reset') reset(conn)
        else stall(conn, chunk.subarray(Math.max(0, room)))
        return
      }
    }
    forward(conn, chunk)
  }

  function forward(conn: Connection, chunk: Buffer): void {
    conn.forwardedInMode += chunk.length
    enqueue(conn.up, chunk)
  }

  function stall(conn: Connection, rest: Buffer): void {
    conn.stalled = true
    if (rest.length > 0) conn.held.push(rest)
    conn.client.pause()
    conn.target.pause()
  }

  function reset(conn: Connection): void {
    conn.client.resetAndDestroy()
    conn.target.resetAndDestroy()
  }

  function enqueue(d: Direction, chunk: Buffer): void {
    const now = Date.now()
    const rate = d.name === 'up' ? link.upBytesPerSecond : link.downBytesPerSecond
    let sentAt = now
    if (rate && rate > 0) {
      const start = Math.max(now, pipeFreeAt[d.name])
      pipeFreeAt[d.name] = start + (chunk.length / rate) * 1000
      sentAt = pipeFreeAt[d.name]
    }
    const latency = (d.name === 'up' ? link.upLatencyMs : link.downLatencyMs) ?? 0
    // Delivery times never go backwards within a direction, so bytes keep their order when the shape changes.
    const at = Math.max(sentAt + latency, d.lastDueAt)
    d.lastDueAt = at
    if (at <= now && d.queue.length === 0) {
      deliver(d, chunk)
      return
    }
    d.queue.push({ at, chunk })
    d.queued += chunk.length
    if (d.queued > HIGH_WATER_BYTES) d.from.pause()
    schedule(d)
  }

  function schedule(d: Direction): void {
    if (d.timer || d.queue.length === 0) return
    const wait = Math.max(0, (d.queue[0]?.at ?? 0) - Date.now())
    d.timer = setTimeout(() => {
      d.timer = undefined
      const now = Date.now()
      while (d.queue.length > 0 && (d.queue[0]?.at ?? 0) <= now) {
        const { chunk } = d.queue.shift() as { chunk: Buffer }
        d.queued -= chunk.length
        deliver(d, chunk)
      }
      if (d.queued <= HIGH_WATER_BYTES / 2 && !isFrozen(d)) d.from.resume()
      schedule(d)
      if (d.queue.length === 0 && d.pendingEnd) d.to.end()
    }, wait)
  }

  function isFrozen(d: Direction): boolean {
    return d.conn.stalled || d.conn.blackholed
  }

  function deliver(d: Direction, chunk: Buffer): void {
    if (d.to.destroyed) return
    if (d.name === 'up') counters.bytesToTarget += chunk.length
    else counters.bytesToClients += chunk.length
    changed()
    // Backpressure from the receiving socket pauses the sender (as a real link's window would).
    if (!d.to.write(chunk) && !d.awaitingDrain) {
      d.from.pause()
      d.awaitingDrain = true
      d.to.once('drain', () => {
        d.awaitingDrain = false
        if (!isFrozen(d)) d.from.resume()
      })
    }
  }

  function endAfterQueue(d: Direction): void {
    if (d.queue.length === 0) d.to.end()
    else d.pendingEnd = true
  }

  const proxy: FaultProxy = {
    get port() {
      return port
    },
    host,
    url: (scheme = 'https') => `${scheme}://${host}:${port}`,
    async setMode(next) {
      const previous = mode
      mode = next
      if (next.kind === 'refuse') {
        // close() stops accepting at once but calls back only when no connection is left: reset them first.
        const closed = server.listening ? new Promise<void>((r) => server.close(() => r())) : undefined
        for (const c of [...connections]) reset(c)
        await closed
        return
      }
      if (previous.kind === 'refuse' && !server.listening) await listen()
      for (const conn of connections) {
        conn.forwardedInMode = 0
        if (next.kind === 'blackhole') {
          conn.blackholed = true
          // Keep reading (and dropping) what the client sends, as a black hole does.
          conn.client.resume()
          conn.target.pause()
        } else if (next.kind === 'pass' && conn.stalled) {
          conn.stalled = false
          conn.client.resume()
          conn.target.resume()
          const held = conn.held.splice(0)
          for (const chunk of held) fromClient(conn, chunk)
        }
      }
    },
    setLink(next) {
      link = { ...next }
    },
    stats: () => ({ ...counters }),
    waitFor(counter, atLeast, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (counters[counter] < atLeast) return
          watchers.delete(check)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          watchers.delete(check)
          reject(new Error(`fault proxy: ${counter} stayed below ${atLeast} for ${timeoutMs} ms`))
        }, timeoutMs)
        watchers.add(check)
        check()
      })
    },
    async close() {
      const closed = server.listening ? new Promise<void>((r) => server.close(() => r())) : undefined
      for (const c of [...connections]) {
        c.client.destroy()
        c.target.destroy()
      }
      await closed
    },
  }
  return proxy
}
