import { Agent, createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect } from 'node:net'
import { afterEach } from 'vitest'
import { createDirectList } from '../../main/core/storage/direct-list'
import { createSignedRequests } from '../../main/core/storage/signed-request'

export interface Received {
  method?: string
  /** The request as addressed: the Host header and the path. */
  host?: string
  path?: string
  headers: IncomingHttpHeaders
  body: Buffer
}

export interface Answer {
  statusCode: number
  body?: string
  headers?: Record<string, string>
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))))
})

/** What the server does with a request: answers it, or holds it unanswered (as a stalled server would). */
export const HOLD = 'hold'

/**
 * A real HTTP server on loopback that records each request and answers as `answer` says (or holds it, HOLD), and
 * agents that send every request to it whatever host it is addressed to (so virtual-hosted names and https
 * endpoints can be tested): the direct PUT goes through Node's own client on these agents, as it does on the
 * account's. `closedConnections` counts the client's connections that ended.
 */
export async function recordingServer(answer: (request: Received) => Answer | typeof HOLD) {
  const requests: Received[] = []
  let closedConnections = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const received: Received = {
        method: request.method,
        host: request.headers.host,
        path: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks),
      }
      requests.push(received)
      const answered = answer(received)
      if (answered === HOLD) return
      const { statusCode, body = '', headers = {} } = answered
      response.writeHead(statusCode, headers).end(body)
    })
  })
  server.on('connection', (socket) => socket.on('close', () => closedConnections++))
  servers.push(server)
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const port = (server.address() as { port: number }).port
  const toServer = (protocol: string) => {
    const agent = new Agent({ keepAlive: false })
    Object.assign(agent, { protocol, createConnection: () => connect(port, '127.0.0.1') })
    return agent
  }
  return {
    requests,
    agents: { httpsAgent: toServer('https:'), httpAgent: toServer('http:') },
    closedConnections: () => closedConnections,
  }
}

/** An S3 refusal as servers send it. */
export const ACCESS_DENIED =
  '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'

/** The app's direct listing (direct-list.ts), signed, sent to a recording server that answers as `answer` says. */
export async function directListerOn(answer: (request: Received) => Answer, pathStyle = false) {
  const server = await recordingServer(answer)
  const send = await createSignedRequests({
    endpoint: 'https://obs.eu-de.example',
    region: 'eu-de',
    pathStyle,
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    agents: server.agents,
  })
  return { requests: server.requests, lister: { listObjects: createDirectList(send) } }
}
