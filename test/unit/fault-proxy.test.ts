import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { request as httpsRequest, createServer as httpsServer } from 'node:https'
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy'
import { startFaultProxyProcess } from '../support/fault-proxy-process'
import { testCaFile, testServerTls } from '../support/fixtures/tls'

// The fault proxy of test/support (see fault-proxy.ts): each mode does what integration tests rely on.

/** A TCP target that counts what it receives and answers each chunk with "ok:<bytes so far>". */
async function countingTarget(): Promise<{ server: Server; port: number; received: () => number }> {
  let received = 0
  const server = createServer((socket) => {
    socket.on('data', (chunk) => {
      received += chunk.length
      socket.write(`ok:${received}\n`)
    })
    socket.on('error', () => {})
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, port: (server.address() as { port: number }).port, received: () => received }
}

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Resolves with the first data from `socket`, or with 'silence' after `ms`. */
function firstData(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('silence'), ms)
    socket.once('data', (d) => {
      clearTimeout(timer)
      resolve(String(d))
    })
  })
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(
  options: Partial<Parameters<typeof startFaultProxy>[0]> = {},
): Promise<{ proxy: FaultProxy; target: Awaited<ReturnType<typeof countingTarget>> }> {
  const target = await countingTarget()
  cleanups.push(() => new Promise<void>((r) => target.server.close(() => r())))
  const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: target.port, ...options })
  cleanups.push(() => proxy.close())
  return { proxy, target }
}

describe('fault proxy', () => {
  it('passes TLS through untouched: the client verifies the target certificate and gets its answer', async () => {
    const server = httpsServer(testServerTls(), (_req, res) => res.end('hello over tls'))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
    const proxy = await startFaultProxy({
      targetHost: '127.0.0.1',
      targetPort: (server.address() as { port: number }).port,
    })
    cleanups.push(() => proxy.close())
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        `${proxy.url()}/`,
        { ca: readFileSync(testCaFile, 'utf8'), agent: false },
        (res) => {
          let text = ''
          res.on('data', (d) => (text += d))
          res.on('end', () => resolve(text))
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(body).toBe('hello over tls')
    expect(proxy.stats().bytesToTarget).toBeGreaterThan(200)
  })

  it('adds latency per direction', async () => {
    const { proxy } = await setup({ link: { upLatencyMs: 60, downLatencyMs: 60 } })
    const socket = await connectTo(proxy.port)
    cleanups.push(() => void socket.destroy())
    const started = Date.now()
    socket.write('x')
    expect(await firstData(socket, 2000)).toBe('ok:1\n')
    const rtt = Date.now() - started
    expect(rtt).toBeGreaterThanOrEqual(115)
    expect(rtt).toBeLessThan(1000)
  })

  it('caps bandwidth', async () => {
    const { proxy, target } = await setup({ link: { upBytesPerSecond: 200 * 1024 } })
    const socket = await connectTo(proxy.port)
    cleanups.push(() => void socket.destroy())
    const started = Date.now()
    socket.write(Buffer.alloc(100 * 1024))
    await proxy.waitFor('bytesToTarget', 100 * 1024, 5000)
    const elapsed = Date.now() - started
    // 100 KiB at 200 KiB/s: half a second, not the few milliseconds of loopback.
    expect(elapsed).toBeGreaterThanOrEqual(450)
    expect(elapsed).toBeLessThan(3000)
    await new Promise((r) => setTimeout(r, 50))
    expect(target.received()).toBe(100 * 1024)
  })

  it('black hole: accepts and reads, never forwards or answers; new connections work after switching back', async () => {
    const { proxy, target } = await setup()
    const open = await connectTo(proxy.port)
    cleanups.push(() => void open.destroy())
    open.write('a')
    expect(await firstData(open, 2000)).toBe('ok:1\n')

    await proxy.setMode({ kind: 'blackhole' })
    open.write('bb')
    const fresh = await connectTo(proxy.port)
    cleanups.push(() => void fresh.destroy())
    fresh.write('ccc')
    expect(await firstData(open, 300)).toBe('silence')
    expect(await firstData(fresh, 1)).toBe('silence')
    expect(target.received()).toBe(1)
    expect(proxy.stats().bytesFromClients).toBe(6)

    await proxy.setMode({ kind: 'pass' })
    const after = await connectTo(proxy.port)
    cleanups.push(() => void after.destroy())
    after.write('dddd')
    expect(await firstData(after, 2000)).toBe('ok:5\n')
  })

  it('stall after N bytes: forwards N bytes, then nothing moves until it passes again, nothing lost', async () => {
    const { proxy, target } = await setup()
    const socket = await connectTo(proxy.port)
    cleanups.push(() => void socket.destroy())
    await proxy.setMode({ kind: 'stall', afterBytes: 1000 })
    socket.write(Buffer.alloc(3000))
    await proxy.waitFor('bytesToTarget', 1000, 2000)
    await new Promise((r) => setTimeout(r, 200))
    expect(target.received()).toBe(1000)
    await proxy.setMode({ kind: 'pass' })
    await proxy.waitFor('bytesToTarget', 3000, 2000)
    await new Promise((r) => setTimeout(r, 50))
    expect(target.received()).toBe(3000)
  })

  it('reset after N bytes: the client sees ECONNRESET after N bytes went through', async () => {
    const { proxy, target } = await setup({ mode: { kind: 'reset', afterBytes: 500 } })
    const socket = await connectTo(proxy.port)
    const error = new Promise<NodeJS.ErrnoException>((r) => socket.once('error', r))
    socket.write(Buffer.alloc(2000))
    expect((await error).code).toBe('ECONNRESET')
    await new Promise((r) => setTimeout(r, 50))
    expect(target.received()).toBeLessThanOrEqual(500)
  })

  it('refuse: the port refuses connections and open ones are reset; passing again listens on the same port', async () => {
    const { proxy } = await setup()
    const open = await connectTo(proxy.port)
    open.on('error', () => {})
    const closed = new Promise((r) => open.once('close', r))
    await proxy.setMode({ kind: 'refuse' })
    await closed
    await expect(connectTo(proxy.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await proxy.setMode({ kind: 'pass' })
    const again = await connectTo(proxy.port)
    cleanups.push(() => void again.destroy())
    again.write('z')
    expect(await firstData(again, 2000)).toMatch(/^ok:/)
  })

  it('runs as a child process driven over stdin and stopped by PID', async () => {
    const target = await countingTarget()
    cleanups.push(() => new Promise<void>((r) => target.server.close(() => r())))
    const child = await startFaultProxyProcess({ targetHost: '127.0.0.1', targetPort: target.port })
    cleanups.push(() => child.stop())
    const socket = await connectTo(child.port)
    cleanups.push(() => void socket.destroy())
    socket.write('hi')
    expect(await firstData(socket, 5000)).toBe('ok:2\n')
    const stats = await child.setMode({ kind: 'blackhole' })
    expect(stats.bytesToTarget).toBe(2)
    socket.write('lost')
    expect(await firstData(socket, 300)).toBe('silence')
    expect((await child.stats()).bytesFromClients).toBe(6)
    await child.stop()
    expect(() => process.kill(child.pid, 0)).toThrow()
  }, 20_000)
})
