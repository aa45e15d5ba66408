import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { TLSSocket } from 'node:tls'

/**
 * Time limits that notice a network that has stopped moving. Node's own socket timeout only fires after a
 * long idle period (and not at all while a TLS handshake hangs on a link that accepted TCP); a captive portal,
 * a firewall that drops, or a dead VPN then leaves an upload "running" for minutes. Each limit below ends the
 * attempt with a retryable timeout instead; the queue retries with backoff and shows "offline" meanwhile.
 */
export interface NetworkTimeouts {
  /** A new connection: TCP connect plus TLS handshake. */
  handshakeMs: number
  /** From the last byte of a request handed to the network to the first byte of its answer. */
  firstByteMs: number
  /** A busy request: no byte taken by the network (sending) or received (answer) for this long. */
  progressMs: number
}

/**
 * Defaults: generous for a slow link, short enough that "offline" shows within ~20 s of the network going
 * silent. The first-byte limit also covers the server's work after the last byte of a large part (hashing,
 * encrypting, storing: ~1 s for 64 MiB on RGW here) and what the kernel's send buffer still held.
 */
export const DEFAULT_NETWORK_TIMEOUTS: NetworkTimeouts = {
  handshakeMs: 10_000,
  firstByteMs: 20_000,
  progressMs: 20_000,
}

/** `OBS_SYNC_TIMEOUTS="handshake=10,first-byte=20,progress=20"` (seconds; any subset) -> timeouts. */
export function parseNetworkTimeouts(spec: string | undefined): Partial<NetworkTimeouts> {
  const result: Partial<NetworkTimeouts> = {}
  if (!spec) return result
  const names: Record<string, keyof NetworkTimeouts> = {
    handshake: 'handshakeMs',
    'first-byte': 'firstByteMs',
    progress: 'progressMs',
  }
  for (const part of spec.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim())
    const key = names[name ?? '']
    const seconds = Number(value)
    if (!key || !Number.isFinite(seconds) || seconds <= 0) {
      throw new Error(
        `Invalid network timeout "${part}": use handshake=S, first-byte=S and progress=S (seconds > 0).`,
      )
    }
    result[key] = seconds * 1000
  }
  return result
}

/** What a timed-out attempt throws: ETIMEDOUT, which the SDK's handler and classifyS3Error treat as network. */
export class NetworkTimeoutError extends Error {
  readonly code = 'ETIMEDOUT'
  constructor(
    readonly limit: 'handshake' | 'first-byte' | 'progress',
    readonly ms: number,
  ) {
    const what = {
      handshake: 'the connection (TCP and TLS handshake) was not set up',
      'first-byte': 'the server did not answer',
      progress: 'no data moved',
    }[limit]
    super(`${what} within ${ms / 1000} s`)
    this.name = 'TimeoutError'
  }
}

interface Watch {
  request: ClientRequest
  socket?: Socket
  finished: boolean
  answer?: IncomingMessage
  lastMoved: number
  flushed: number
  read: number
}

interface WatchableAgent {
  addRequest?: (request: ClientRequest, options: unknown) => void
  createConnection?: (...args: unknown[]) => Socket
}

const TICK_MS = 250

/**
 * Puts the limits on every request made through `agent` (the S3 client's keep-alive agents: SDK commands and
 * the direct PUT alike). It wraps two methods every Node agent has: createConnection (to time handshakes of new
 * sockets) and addRequest (to follow each request from socket to answer). One shared timer checks all busy
 * requests four times a second, cheaper than a timer per request for thousands of small uploads.
 */
export function watchAgent(
  agent: object,
  timeouts: NetworkTimeouts = DEFAULT_NETWORK_TIMEOUTS,
  now: () => number = Date.now,
): void {
  const target = agent as WatchableAgent
  const handshaking = new WeakMap<Socket, number>()
  const watches = new Set<Watch>()
  let ticker: NodeJS.Timeout | undefined

  const createConnection = target.createConnection
  if (createConnection) {
    target.createConnection = function (this: unknown, ...args: unknown[]) {
      const socket = createConnection.apply(this, args)
      if (socket) {
        handshaking.set(socket, now())
        const done = () => handshaking.delete(socket)
        socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', done)
        socket.once('close', done)
      }
      return socket
    }
  }

  const addRequest = target.addRequest
  if (!addRequest) return
  target.addRequest = function (this: unknown, request: ClientRequest, options: unknown) {
    const watch: Watch = { request, finished: false, lastMoved: now(), flushed: 0, read: 0 }
    request.once('socket', (socket: Socket) => {
      watch.socket = socket
      watch.lastMoved = now()
      watch.flushed = flushedBytes(socket)
      watch.read = socket.bytesRead
    })
    request.once('finish', () => {
      watch.finished = true
      watch.lastMoved = now()
    })
    request.once('response', (answer: IncomingMessage) => {
      watch.answer = answer
      watch.lastMoved = now()
    })
    request.once('close', () => watches.delete(watch))
    watches.add(watch)
    ticker ??= setInterval(tick, TICK_MS).unref()
    return addRequest.call(this, request, options)
  }

  function tick(): void {
    const t = now()
    for (const watch of watches) {
      const expired = check(watch, t)
      if (expired) {
        watches.delete(watch)
        watch.request.destroy(expired)
      }
    }
    if (watches.size === 0 && ticker) {
      clearInterval(ticker)
      ticker = undefined
    }
  }

  function check(watch: Watch, t: number): NetworkTimeoutError | undefined {
    const socket = watch.socket
    // A request still waiting for a free socket of the pool is not a network problem.
    if (!socket) return undefined
    const handshakeStarted = handshaking.get(socket)
    if (handshakeStarted !== undefined) {
      return t - handshakeStarted > timeouts.handshakeMs
        ? new NetworkTimeoutError('handshake', timeouts.handshakeMs)
        : undefined
    }
    const flushed = flushedBytes(socket)
    // An answer waiting in memory for its reader is held up by the reader (a slow disk, a paused download),
    // not by the network.
    const readerBehind = (watch.answer?.readableLength ?? 0) > 0
    if (flushed !== watch.flushed || socket.bytesRead !== watch.read || readerBehind) {
      watch.flushed = flushed
      watch.read = socket.bytesRead
      watch.lastMoved = t
      return undefined
    }
    const waitingForAnswer = watch.finished && !watch.answer
    const limit = waitingForAnswer ? timeouts.firstByteMs : timeouts.progressMs
    if (t - watch.lastMoved <= limit) return undefined
    return new NetworkTimeoutError(waitingForAnswer ? 'first-byte' : 'progress', limit)
  }
}

/** Bytes the socket has handed to the kernel (written minus still buffered in Node). */
function flushedBytes(socket: Socket): number {
  return socket.bytesWritten - socket.writableLength
}
