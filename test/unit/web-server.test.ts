import type { Socket } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { startWebServer, type WebServer } from '../../main/server/web-server'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { call, connect, get, startTestWebServer } from '../support/web-client'

describe('headless web UI server', () => {
  let server: WebServer
  let bus: Awaited<ReturnType<typeof startTestWebServer>>['bus']

  beforeEach(async () => {
    ;({ server, bus } = await startTestWebServer())
  })
  afterEach(() => server.close())

  it('listens on 127.0.0.1 only, on a random port, with a long random token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(server.port).toBeGreaterThan(1023)
    expect(server.token.length).toBeGreaterThanOrEqual(40)
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    if (other) {
      await expect(get(`http://${other.address}:${server.port}/?token=${server.token}`)).rejects.toThrow(
        /ECONNREFUSED/,
      )
    }
    const second = await startWebServer({
      rendererDir: '/nonexistent',
      dispatch: createDispatch(createHandlers(handlerDepsStub({}))),
      subscribe: () => () => {},
    })
    expect(second.port).not.toBe(server.port)
    expect(second.token).not.toBe(server.token)
    await second.close()
  })

  it('refuses every request without the token, and with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/app.js', '/anything']) {
      const answer = await get(`${server.url.slice(0, -1)}${path}`)
      expect(answer.status).toBe(401)
      expect(answer.body).not.toContain('<title>OBS Sync</title>')
    }
    expect((await get(`${server.url}?token=wrong`)).status).toBe(401)
    expect((await get(server.url, { Authorization: 'Bearer wrong' })).status).toBe(401)
  })

  it('moves the token from the address into an HttpOnly cookie, then serves with the cookie', async () => {
    const first = await get(server.openUrl)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    const cookie = String(first.headers['set-cookie'])
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await get(server.url, { Cookie: cookie.split(';')[0] ?? '' })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>OBS Sync</title>')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  })

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const answer = await get(server.url, { Host: 'evil.example', Authorization: `Bearer ${server.token}` })
    expect(answer.status).toBe(403)
  })

  it('never serves files outside the renderer folder', async () => {
    const auth = { Authorization: `Bearer ${server.token}` }
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const answer = await get(`${server.url.slice(0, -1)}${path}`, auth)
      expect(answer.body).not.toContain('root:')
    }
    expect((await get(`${server.url}app.js`, auth)).body).toBe('console.log(1)')
  })

  it('refuses a WebSocket without the token, with a wrong one, or from a foreign origin', async () => {
    const ws = server.url.replace('http', 'ws')
    await expect(connect(`${ws}ws`)).rejects.toThrow()
    await expect(connect(`${ws}ws?token=wrong`)).rejects.toThrow()
    await expect(
      connect(`${ws}ws`, { Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' }),
    ).rejects.toThrow()
  })

  it('answers contract calls over the WebSocket and pushes events', async () => {
    const ws = await connect(`${server.url.replace('http', 'ws')}ws`, {
      Cookie: `obs_sync_token_${server.port}=${server.token}`,
      Origin: server.url.slice(0, -1),
    })
    expect(await call(ws, 1, 'app:info')).toMatchObject({
      ok: true,
      value: { version: '9.9.9', host: 'web' },
    })
    expect(await call(ws, 2, 'no:such')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    const event = new Promise((resolve) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString())
        if (frame.type === 'event') resolve(frame)
      }),
    )
    bus.emit('accounts:changed', [])
    expect(await event).toEqual({ type: 'event', event: 'accounts:changed', payload: [] })
    ws.close()
  })

  it('closes a connection that sends something other than a request frame', async () => {
    const ws = await connect(`${server.url.replace('http', 'ws')}ws`, {
      Authorization: `Bearer ${server.token}`,
    })
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.send('not json')
    expect(await closed).toBe(1003)
  })
})

describe('a client that stops reading', () => {
  it('is dropped once its unread frames pass the limit, and nothing more is sent to it; other clients are served', async () => {
    const { server, bus } = await startTestWebServer({ maxUnreadBytes: 1024 * 1024 })
    try {
      const wsUrl = `${server.url.replace(/^http/, 'ws')}ws`
      const auth = { Authorization: `Bearer ${server.token}` }
      const slow = await connect(wsUrl, auth)
      let received = 0
      slow.on('message', (data: Buffer) => (received += data.length))
      const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)))
      // The client stops reading (its socket paused); the server keeps sending events meanwhile.
      const socket = (slow as unknown as { _socket: Socket })._socket
      socket.pause()
      const payload = 'x'.repeat(64 * 1024)
      for (let i = 0; i < 800; i++) {
        bus.emit('activity', payload)
        await new Promise((resolve) => setImmediate(resolve))
      }
      socket.resume()
      // Dropped as a lost connection is (no close frame: it would wait behind what is unread).
      expect(await closed).toBe(1006)
      // It got what the kernel's buffers and the limit held, far from the 52 MB sent meanwhile.
      expect(received).toBeLessThan(30 * 1024 * 1024)
      const other = await connect(wsUrl, auth)
      expect(await call(other, 1, 'app:info')).toMatchObject({ ok: true, value: { name: 'OBS Sync' } })
      other.close()
    } finally {
      await server.close()
    }
  }, 30_000)
})
