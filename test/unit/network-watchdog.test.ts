import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { Agent, request as httpsRequest, createServer as httpsServer, type Server } from 'node:https'
import { afterEach, describe, expect, it } from 'vitest'
import { classifyS3Error } from '../../main/core/storage/classify-error'
import {
  type NetworkTimeouts,
  parseNetworkTimeouts,
  watchAgent,
} from '../../main/core/storage/network-watchdog'
import { startFaultProxy } from '../support/fault-proxy'
import { testCaFile, testServerTls } from '../support/fixtures/tls'

// The time limits of network-watchdog.ts, on real sockets through the fault proxy: each fault ends the
// attempt with a timeout that the error classifier calls NETWORK (retryable), and a healthy slow transfer
// does not.

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** An HTTPS server that reads the whole body and answers with its size; `silent` paths never answer. */
async function server(): Promise<{ server: Server; port: number }> {
  const s = httpsServer(testServerTls(), (req, res) => {
    let size = 0
    req.on('data', (d) => (size += d.length))
    req.on('end', () => {
      if (req.url === '/silent') return
      if (req.url === '/slow-answer') {
        res.write('a')
        setTimeout(() => res.end('b'), 600)
        return
      }
      res.end(String(size))
    })
  })
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  cleanups.push(() => {
    s.closeAllConnections()
    return new Promise<void>((r) => s.close(() => r()))
  })
  return { server: s, port: (s.address() as { port: number }).port }
}

// Generous where a fault is not expected (a loaded machine can take a second for a loopback TLS handshake),
// short for the one limit each fault test is about.
const RELAXED: NetworkTimeouts = { handshakeMs: 5000, firstByteMs: 2000, progressMs: 2000 }

function send(port: number, agent: Agent, path: string, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, method: 'PUT', agent, headers: { 'content-length': body.length } },
      (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve(text))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function setup(timeouts: Partial<NetworkTimeouts> = {}) {
  const target = await server()
  const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: target.port })
  cleanups.push(() => proxy.close())
  const agent = new Agent({ keepAlive: true, ca: readFileSync(testCaFile, 'utf8') })
  cleanups.push(() => agent.destroy())
  watchAgent(agent, { ...RELAXED, ...timeouts })
  return { proxy, agent, target }
}

describe('network watchdog', () => {
  it('lets a healthy request through, also on a slow link', async () => {
    const { proxy, agent } = await setup()
    proxy.setLink({ upLatencyMs: 100, downLatencyMs: 100 })
    expect(await send(proxy.port, agent, '/', Buffer.alloc(50_000))).toBe('50000')
  })

  it('does not time out an answer that keeps arriving, however slowly', async () => {
    const { proxy, agent } = await setup()
    expect(await send(proxy.port, agent, '/slow-answer', Buffer.alloc(10))).toBe('ab')
  })

  it('ends a TLS handshake that never completes (black hole) with a retryable network timeout', async () => {
    const { proxy, agent } = await setup({ handshakeMs: 400 })
    await proxy.setMode({ kind: 'blackhole' })
    const started = Date.now()
    const error = await send(proxy.port, agent, '/', Buffer.alloc(10)).catch((e) => e)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(error).toMatchObject({ code: 'ETIMEDOUT', limit: 'handshake' })
    const classified = classifyS3Error(error, { endpoint: proxy.url() })
    expect(classified.code).toBe('NETWORK')
    expect(classified.message).toContain('TLS handshake')
  })

  it('ends an upload whose bytes stop moving (stall after N bytes) with a progress timeout', async () => {
    const { proxy, agent } = await setup({ progressMs: 400 })
    // Warm the connection so the stall hits the body, not the handshake.
    expect(await send(proxy.port, agent, '/', Buffer.alloc(10))).toBe('10')
    await proxy.setMode({ kind: 'stall', afterBytes: 64 * 1024 })
    const error = await send(proxy.port, agent, '/', Buffer.alloc(32 * 1024 * 1024)).catch((e) => e)
    expect(error).toMatchObject({ code: 'ETIMEDOUT', limit: 'progress' })
  }, 20_000)

  it('ends a request the server never answers with a first-byte timeout', async () => {
    const { proxy, agent } = await setup({ firstByteMs: 400 })
    const error = await send(proxy.port, agent, '/silent', Buffer.alloc(1000)).catch((e) => e)
    expect(error).toMatchObject({ code: 'ETIMEDOUT', limit: 'first-byte' })
    expect(classifyS3Error(error).code).toBe('NETWORK')
  })

  it('reads limits from OBS_SYNC_TIMEOUTS and refuses nonsense with a clear message', () => {
    expect(parseNetworkTimeouts('handshake=5, first-byte=30,progress=15')).toEqual({
      handshakeMs: 5000,
      firstByteMs: 30_000,
      progressMs: 15_000,
    })
    expect(parseNetworkTimeouts(undefined)).toEqual({})
    expect(() => parseNetworkTimeouts('handshake=0')).toThrow(/Invalid network timeout "handshake=0"/)
    expect(() => parseNetworkTimeouts('speed=3')).toThrow(/handshake=S, first-byte=S and progress=S/)
  })
})
