import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A tiny HTTP CONNECT proxy on 127.0.0.1 (what a company proxy does for https): it records each tunnel's
 * target and Proxy-Authorization header, then relays bytes both ways. Nothing else is proxied.
 */
export async function startConnectProxy(): Promise<{
  url: string
  tunnels: { target: string; authorization?: string }[]
  close(): Promise<void>
}> {
  const tunnels: { target: string; authorization?: string }[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    let head = ''
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1')
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      client.off('data', onData)
      const [requestLine = '', ...headers] = head.slice(0, end).split('\r\n')
      const [method, target = ''] = requestLine.split(' ')
      if (method !== 'CONNECT') {
        client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n')
        return
      }
      const authorization = headers
        .find((h) => h.toLowerCase().startsWith('proxy-authorization:'))
        ?.slice('proxy-authorization:'.length)
        .trim()
      tunnels.push({ target, authorization })
      const [host = '', port = ''] = target.split(/:(?=\d+$)/)
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        const rest = head.slice(end + 4)
        if (rest) upstream.write(Buffer.from(rest, 'latin1'))
        client.pipe(upstream).pipe(client)
      })
      sockets.add(upstream)
      upstream.on('close', () => sockets.delete(upstream))
      upstream.on('error', () => client.destroy())
    }
    client.on('data', onData)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}
