import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { createWebSocketTransport } from '../../renderer/src/ipc/websocket-transport'
import { handlerDepsStub } from '../support/handler-deps-stub'

/**
 * What the web UI's transport puts on the wire. JSON writes NaN and Infinity as null; for an argument that may be
 * null (the upload limit: null is "no limit"), an unreadable number became a valid "remove the limit".
 */
const servers: WebSocketServer[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

/** A socket server that records each request frame's text and answers it ok. */
async function recordingServer() {
  const frames: string[] = []
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  servers.push(server)
  await new Promise((resolve) => server.once('listening', resolve))
  server.on('connection', (ws) =>
    ws.on('message', (data: Buffer) => {
      frames.push(data.toString())
      const { id } = JSON.parse(data.toString())
      ws.send(JSON.stringify({ type: 'response', id, result: { ok: true, value: null } }))
    }),
  )
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, frames }
}

describe('the web UI transport', () => {
  it('sends NaN and Infinity so that the contract refuses them as not a number, never as null', async () => {
    const { url, frames } = await recordingServer()
    const global = globalThis as { WebSocket?: unknown }
    const before = global.WebSocket
    global.WebSocket = WebSocket
    try {
      const transport = createWebSocketTransport(url)
      await transport.invoke('queue:set-bandwidth-limit', [Number.NaN])
      await transport.invoke('queue:set-bandwidth-limit', [Number.POSITIVE_INFINITY])
      await transport.invoke('queue:set-bandwidth-limit', [null])
    } finally {
      global.WebSocket = before
    }
    const args = frames.map((frame) => JSON.parse(frame).args)
    expect(args).toEqual([['NaN'], ['Infinity'], [null]])
    // The core's own check of what arrived: the first two refused in words, not taken for "no limit".
    const dispatch = createDispatch(createHandlers(handlerDepsStub({})))
    for (const sent of args.slice(0, 2)) {
      expect(await dispatch('queue:set-bandwidth-limit', sent)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', params: { rule: 'numberExpected' } },
      })
    }
  })
})
