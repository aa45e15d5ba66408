// Findings #2 (Medium), #6, #7, #8 (Low) against the headless web UI server, tried as an attacker would: raw
// TCP WebSocket frames, plain HTTP requests with planted cookies and odd paths, links in the renderer folder.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { type Socket, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { serveStatic } from '../../main/server/static-files'
import { startWebServer, type WebServer } from '../../main/server/web-server'
import { MAX_FRAME_BYTES } from '../../preload/contract'
import { channels } from '../../preload/contract/channels'
import { call, connect, get, rawGet, startTestWebServer } from '../support/web-client'

let server: WebServer
let rendererDir: string
beforeEach(async () => {
  ;({ server, rendererDir } = await startTestWebServer())
})
afterEach(() => server.close())

const wsUrl = () => `${server.url.replace('http', 'ws')}ws`
const bearer = () => ({ Authorization: `Bearer ${server.token}` })
const cookieName = () => `obs_sync_token_${server.port}`

/** A raw TCP WebSocket after a valid handshake: frames are written by hand, as a hostile client would. */
function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(server.port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /ws HTTP/1.1',
          `Host: 127.0.0.1:${server.port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          `Authorization: Bearer ${server.token}`,
          '',
          '',
        ].join('\r\n'),
      )
    })
    socket.once('data', (data) =>
      data.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(data.toString())),
    )
    socket.once('error', reject)
  })
}

function maskedTextFrame(payload: Buffer): Buffer {
  const mask = randomBytes(4)
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)))
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked])
}

async function stillAnswers(): Promise<void> {
  const ws = await connect(wsUrl(), bearer())
  expect(await call(ws, 1, 'app:info')).toMatchObject({ ok: true, value: { version: '9.9.9' } })
  ws.close()
}

const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))

describe('#2 malformed WebSocket frames and stream errors never end the server', () => {
  let child: ChildProcess
  let original: WebServer
  beforeEach(async () => {
    original = server
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../support/fixtures/web-server-process.ts', import.meta.url)),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
    const { port, token, url } = JSON.parse(line.toString())
    server = { ...original, port, token, url }
  }, 30_000)
  afterEach(() => {
    expect(child.exitCode).toBeNull()
    child.kill()
    server = original
  })

  it('a frame over the size limit closes that connection only', async () => {
    const socket = await rawSocket()
    const header = Buffer.alloc(14)
    header[0] = 0x81
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(MAX_FRAME_BYTES + 1), 2)
    socket.write(header) // the 4 mask bytes follow in the header buffer (zeros)
    await closed(socket)
    await stillAnswers()
  })

  it('a text frame with invalid UTF-8 closes that connection only', async () => {
    const socket = await rawSocket()
    socket.write(maskedTextFrame(Buffer.from([0xff, 0xfe, 0xfd])))
    await closed(socket)
    await stillAnswers()
  })

  it('an unmasked client frame closes that connection only', async () => {
    const socket = await rawSocket()
    socket.write(Buffer.concat([Buffer.from([0x81, 2]), Buffer.from('hi')]))
    await closed(socket)
    await stillAnswers()
  })

  it('a client that resets its socket mid-handshake does not end the server', async () => {
    const socket = tcpConnect(server.port, '127.0.0.1')
    await new Promise((r) => socket.once('connect', r))
    socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\n`)
    socket.resetAndDestroy()
    await stillAnswers()
  })

  it('the largest queue:enqueue the contract accepts fits in one frame; a bigger one is refused by the contract', async () => {
    // Worst case per character: a control character, which JSON writes as \u00XX (6 bytes).
    const schema = channels['queue:enqueue'].args
    const request = (pathChars: number, count: number) => ({
      accountId: 'a',
      bucket: 'b',
      prefix: 'p'.repeat(1024),
      paths: Array.from({ length: count }, () => `/${'\u0001'.repeat(pathChars - 1)}`),
      encryption: { mode: 'none' },
    })
    let largest = request(4096, 1)
    for (const [chars, count] of [
      [4096, 10_000],
      [1024, 10_000],
      [209, 10_000],
    ] as const) {
      if (schema.safeParse([request(chars, count)]).success) {
        largest = request(chars, count)
        break
      }
    }
    expect(schema.safeParse([largest]).success).toBe(true)
    const frame = JSON.stringify({ type: 'request', id: 1, channel: 'queue:enqueue', args: [largest] })
    expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_FRAME_BYTES)
    expect(schema.safeParse([request(4096, 10_000)]).success).toBe(false)
    const ws = await connect(wsUrl(), bearer())
    expect(await call(ws, 1, 'queue:enqueue', [largest])).toHaveProperty('ok')
    expect(await call(ws, 2, 'queue:enqueue', [request(4096, 600)])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Too many paths/) },
    })
    ws.close()
  }, 60_000)

  it('a read error of a static file ends that response only (in this process)', async () => {
    // /proc/self/mem is a "regular file" whose read at offset 0 fails with EIO.
    const local: Server = createServer((req, res) => void serveStatic('/proc/self', req.url ?? '/', res))
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()))
    const port = (local.address() as { port: number }).port
    await get(`http://127.0.0.1:${port}/mem`).catch(() => undefined)
    local.closeAllConnections()
    local.close()
    await stillAnswers()
  })
})

describe('#6 the token: a valid ?token= wins, per-port cookie, query only on the first page load', () => {
  it('after a restart the printed URL works in a browser that still has the old cookie', async () => {
    const stale = `${cookieName()}=${'x'.repeat(43)}`
    const answer = await get(server.openUrl, { Cookie: stale })
    expect(answer.status).toBe(303)
    expect(String(answer.headers['set-cookie'])).toContain(`${cookieName()}=${server.token}`)
  })

  it('a cookie planted by another localhost page cannot lock the user out', async () => {
    const planted = `obs_sync_token=planted; ${cookieName()}=planted`
    expect((await get(server.openUrl, { Cookie: planted })).status).toBe(303)
  })

  it('the cookie is named for this port, so two servers on one host do not overwrite each other', async () => {
    const answer = await get(server.openUrl)
    expect(String(answer.headers['set-cookie'])).toMatch(new RegExp(`^${cookieName()}=`))
    expect((await get(server.url, { Cookie: `${cookieName()}=${server.token}` })).status).toBe(200)
  })

  it('the query token is refused on other requests and on the WebSocket', async () => {
    expect((await get(`${server.url}app.js?token=${server.token}`)).status).toBe(401)
    await expect(connect(`${wsUrl()}?token=${server.token}`)).rejects.toThrow(/401/)
  })

  it('OBS_SYNC_WEB_TOKEN shorter than 32 characters is refused with a clear message', async () => {
    await expect(startWebServer({ ...serverOptions(), token: 'short-token' })).rejects.toThrow(
      /32 characters/,
    )
    const ok = await startWebServer({ ...serverOptions(), token: 'k'.repeat(32) })
    await ok.close()
  })

  it('`obs-sync serve` with a short OBS_SYNC_WEB_TOKEN names the variable and the rule, not "Something went wrong"', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'obs-sync-token-'))
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'main/cli.ts', '--data-dir', dataDir, 'serve'],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, OBS_SYNC_WEB_TOKEN: 'short-token' },
      },
    )
    expect(cli.status).not.toBe(0)
    expect(cli.stderr).toMatch(/OBS_SYNC_WEB_TOKEN must have at least 32 characters \(it has 11\)/)
    expect(cli.stderr + cli.stdout).not.toMatch(/Something went wrong/)
  }, 60_000)
})

function serverOptions() {
  return {
    rendererDir,
    dispatch: async () => ({ ok: true as const, value: null }),
    subscribe: () => () => {},
  }
}

describe('#7 the token redirect stays on this origin', () => {
  it('GET /.//evil.com/?token=T redirects to a path here, never to //evil.com', async () => {
    for (const path of ['/.//evil.com/', '//evil.com/', '/%2F/evil.com/', '/\\evil.com/']) {
      const answer = await rawGet(server.port, `${path}?token=${server.token}`)
      expect(answer.status).toBe(303)
      const location = String(answer.location)
      expect(location.startsWith('//') || location.startsWith('/\\')).toBe(false)
      expect(new URL(location, server.url).origin).toBe(server.url.slice(0, -1))
    }
  })
})

describe('#8 the static server serves only regular files really inside the renderer folder', () => {
  it('a link in the renderer folder to a file outside is not served', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'obs-sync-outside-'))
    await writeFile(join(outside, 'secret.txt'), 'TOP-SECRET')
    await symlink(join(outside, 'secret.txt'), join(rendererDir, 'leak.txt'))
    await symlink(outside, join(rendererDir, 'assets'))
    for (const path of ['leak.txt', 'assets/secret.txt']) {
      const answer = await get(`${server.url}${path}`, bearer())
      expect(answer.body).not.toContain('TOP-SECRET')
    }
    expect((await get(`${server.url}app.js`, bearer())).body).toBe('console.log(1)')
  })
})

describe('an /api/ path the server does not have', () => {
  it('answers 404, not the web UI page (a script or a typo learns the route does not exist)', async () => {
    for (const path of ['api/accounts', 'api/drop/extra', 'api/']) {
      const answer = await get(`${server.url}${path}`, bearer())
      expect({ path, status: answer.status, body: answer.body }).toEqual({
        path,
        status: 404,
        body: 'OBS Sync: there is no such API route.',
      })
    }
    // The web UI's own pages still load (any other path is the page, for its client-side routes).
    expect((await get(`${server.url}some/view`, bearer())).status).toBe(200)
  })
})
