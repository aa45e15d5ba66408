import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDropInbox } from '../../main/core/drops/drop-inbox'
import { AppError } from '../../main/core/errors'
import type { ObjectRef } from '../../main/core/storage/storage-service'
import { startWebServer, type WebServer } from '../../main/server/web-server'
import type { EnqueueRequest } from '../../preload/contract/queue-models'

// The server refuses tokens shorter than 32 characters (the web UI's only password).
const TOKEN = 'web-transfers-test-token-0123456789abcdef'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('web UI byte transfers: objects to the browser, dropped files into the queue', () => {
  let server: WebServer
  let inbox: string
  const opened: ObjectRef[] = []
  const queued: EnqueueRequest[] = []
  const content = Buffer.from('the bytes of the object')

  beforeEach(async () => {
    const rendererDir = await mkdtemp(join(tmpdir(), 'obs-sync-renderer-'))
    inbox = join(await mkdtemp(join(tmpdir(), 'obs-sync-data-')), 'drops')
    const drops = createDropInbox({
      dir: inbox,
      enqueue: async (r) => {
        queued.push(r)
        return { jobIds: [7], skipped: [] }
      },
    })
    server = await startWebServer({
      rendererDir,
      dispatch: async () => ({ ok: true, value: null }),
      subscribe: () => () => {},
      token: TOKEN,
      transfers: {
        openObject: async (ref) => {
          opened.push(ref)
          if (ref.key === 'locked.bin') throw new AppError('SSE_C_KEY_REQUIRED', 'needs its SSE-C key')
          return { body: Readable.from([content]), size: content.length }
        },
        receiveDrop: (file, body) => drops.receive(file, body),
      },
    })
  })
  afterEach(async () => server.close())
  const auth = { Authorization: `Bearer ${TOKEN}` }

  it('streams an object as an attachment with its own name; the SSE-C key goes by name, never in the URL', async () => {
    const url = `${server.url}api/object?account=a1&bucket=b&key=${encodeURIComponent('docs/Grüße "1".txt')}&sseKey=k1`
    expect((await send(url)).status).toBe(401)
    const answer = await send(url, { headers: auth })
    expect(answer.status).toBe(200)
    expect(answer.body.equals(content)).toBe(true)
    expect(answer.headers['content-disposition']).toBe(
      `attachment; filename="Gr__e _1_.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%221%22.txt`,
    )
    expect(answer.headers['content-type']).toBe('application/octet-stream')
    expect(opened.at(-1)).toEqual({
      accountId: 'a1',
      bucket: 'b',
      key: 'docs/Grüße "1".txt',
      sseCustomerKeyName: 'k1',
    })
    const locked = await send(`${server.url}api/object?account=a1&bucket=b&key=locked.bin`, { headers: auth })
    expect(locked.status).toBe(400)
    expect(JSON.parse(locked.body.toString())).toEqual({
      ok: false,
      error: { code: 'SSE_C_KEY_REQUIRED', message: 'needs its SSE-C key' },
    })
  })

  it('stages a dropped file, queues it with the encryption chosen, and refuses foreign pages and bad names', async () => {
    const body = Buffer.alloc(300_000, 7)
    const url = `${server.url}api/drop?account=a1&bucket=b&prefix=in%2F&name=report.pdf`
    const encryption = encodeURIComponent(JSON.stringify({ mode: 'sse-kms', keyId: 'testkey-1' }))
    const ok = await send(url, {
      method: 'POST',
      headers: { ...auth, Origin: server.url.slice(0, -1), 'X-OBS-Sync-Encryption': encryption },
      body,
    })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body.toString())).toEqual({ ok: true, value: { jobIds: [7], skipped: [] } })
    const request = queued.at(-1) as EnqueueRequest
    expect(request).toMatchObject({
      accountId: 'a1',
      bucket: 'b',
      prefix: 'in/',
      encryption: { mode: 'sse-kms', keyId: 'testkey-1' },
    })
    expect(request.paths[0]).toMatch(/\/drops\/[0-9a-f-]{36}\/report\.pdf$/)
    expect((await readFile(request.paths[0] as string)).equals(body)).toBe(true)

    const foreign = await send(url, {
      method: 'POST',
      headers: { ...auth, Origin: 'https://evil.example' },
      body,
    })
    expect(foreign.status).toBe(403)
    const noToken = await send(url, { method: 'POST', headers: { Origin: server.url.slice(0, -1) }, body })
    expect(noToken.status).toBe(401)
    for (const name of ['..', 'a%2Fb', 'nul.txt', 'x%00y']) {
      const bad = await send(url.replace('name=report.pdf', `name=${name}`), {
        method: 'POST',
        headers: auth,
        body,
      })
      expect(bad.status, name).toBe(400)
    }
    // An encryption header that is not JSON (or not even a valid %-escape) is the client's mistake, said so.
    for (const header of ['not-json', '%E0%A4%A', encodeURIComponent('{"mode":"rot13"}')]) {
      const bad = await send(url, {
        method: 'POST',
        headers: { ...auth, 'X-OBS-Sync-Encryption': header },
        body,
      })
      expect(bad.status, header).toBe(400)
      expect(JSON.parse(bad.body.toString()).error, header).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: 'Unknown encryption choice.',
      })
    }
    // Only the one good upload left a staged file behind (the refused ones were removed).
    expect(await readdir(inbox)).toHaveLength(1)
  })

  it('releases a staged file once its upload needs it no more, and nothing outside the inbox', async () => {
    const drops = createDropInbox({ dir: inbox, enqueue: async () => ({ jobIds: [1], skipped: [] }) })
    await drops.receive(
      { accountId: 'a', bucket: 'b', prefix: '', name: 'x.bin', size: 3 },
      Readable.from([Buffer.from('abc')]),
    )
    const [folder] = await readdir(inbox)
    await drops.release('/etc/passwd')
    await drops.release(join(inbox, folder as string, 'x.bin'))
    expect(existsSync(join(inbox, folder as string))).toBe(false)
    await expect(
      drops.receive(
        { accountId: 'a', bucket: 'b', prefix: '', name: 'short.bin', size: 10 },
        Readable.from([Buffer.from('abc')]),
      ),
    ).rejects.toMatchObject({ code: 'SOURCE_CHANGED' })
    expect(await readdir(inbox)).toEqual([])
  })

  it('sweeps staged files no job needs any more, keeping those of waiting or failed jobs and recent ones', async () => {
    const drops = createDropInbox({ dir: inbox, enqueue: async () => ({ jobIds: [1], skipped: [] }) })
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000)
    async function staged(folder: string, name: string, at?: Date): Promise<string> {
      await mkdir(join(inbox, folder), { recursive: true })
      const path = join(inbox, folder, name)
      await writeFile(path, 'bytes')
      if (at) {
        await utimes(path, at, at)
        await utimes(join(inbox, folder), at, at)
      }
      return path
    }
    const orphan = await staged('orphan', 'gone.bin', old)
    const waiting = await staged('waiting', 'queued.bin', old)
    await staged('arriving', 'partial.bin')
    await mkdir(join(inbox, 'empty'))
    await utimes(join(inbox, 'empty'), old, old)

    expect(await drops.sweep(new Set([waiting]))).toBe(2)
    expect((await readdir(inbox)).sort()).toEqual(['arriving', 'waiting'])
    expect(existsSync(orphan)).toBe(false)
    // No inbox yet (nothing was ever dropped): nothing to do, no error.
    const none = createDropInbox({
      dir: join(inbox, 'missing'),
      enqueue: async () => ({ jobIds: [], skipped: [] }),
    })
    expect(await none.sweep(new Set())).toBe(0)
  })
})
