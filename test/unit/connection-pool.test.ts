import { mkdtemp } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connectionPoolSize, DEFAULT_REQUESTS } from '../../main/core/queue/transfer-slots'
import { createAppServices } from '../../main/services'
import { memorySecrets } from '../support/memory-secrets'

/**
 * The user's request limit (`--concurrency`) must be what limits the uploads, not the account client's
 * connection pool: with a pool fixed at 16, `--concurrency 32` quietly ran 16 requests at once.
 */
describe('connection pool of an account client', () => {
  let server: Server | undefined
  afterEach(() => server?.close())

  it('is the request limit plus room for browsing', () => {
    expect(connectionPoolSize()).toBe(DEFAULT_REQUESTS + 4)
    expect(connectionPoolSize(32)).toBe(36)
    expect(connectionPoolSize(1)).toBe(5)
  })

  it('opens as many connections as the user allows (32 HEADs at once reach the server together)', async () => {
    // A server that holds every request until 32 are open at once (or 3 s passed), then answers 404.
    let open = 0
    let most = 0
    const held: Array<() => void> = []
    const releaseAll = () => {
      for (const answer of held.splice(0)) answer()
    }
    server = createServer((request, response) => {
      open++
      most = Math.max(most, open)
      held.push(() => {
        open--
        response.writeHead(404, { 'content-type': 'application/xml' })
        response.end('<Error><Code>NoSuchKey</Code><Message>none</Message></Error>')
      })
      if (held.length >= 32) releaseAll()
      request.resume()
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const timer = setInterval(releaseAll, 3000)
    const { port } = server.address() as AddressInfo

    const dataDir = await mkdtemp(join(tmpdir(), 'obs-sync-pool-'))
    const services = createAppServices({
      dataDir,
      host: 'web',
      secrets: memorySecrets(),
      concurrency: 32,
      log: () => {},
    })
    try {
      const added = await services.client.call('accounts:add', {
        name: 'local',
        provider: 'custom-s3',
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        addressing: 'path',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'secret-example',
      })
      await Promise.allSettled(
        Array.from({ length: 32 }, (_, i) =>
          services.client.call('storage:details', { accountId: added.id, bucket: 'b', key: `k${i}` }),
        ),
      )
      expect(most).toBe(32)
    } finally {
      clearInterval(timer)
      await services.shutdown()
    }
  })
})
