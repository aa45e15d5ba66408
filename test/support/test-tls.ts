import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MAKE_TEST_CA = join(dirname(fileURLToPath(import.meta.url)), 'make-test-ca.sh')

/** A throwaway CA and a localhost server certificate it signed (test/support/make-test-ca.sh, as RGW's). */
export function makeTestCa(name: string): { caFile: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), `obs-sync-ca-${name}-`))
  const run = spawnSync('bash', [MAKE_TEST_CA, dir, name], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`make-test-ca.sh failed: ${run.stderr}`)
  return {
    caFile: join(dir, 'ca.crt'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
  }
}

/**
 * A real HTTPS server on 127.0.0.1 answering every request with 200 and `body` (default "ok from <name>");
 * the path of each request is recorded.
 */
export async function startTlsServer(
  name: string,
  tls: { key: string; cert: string },
  body = `ok from ${name}`,
): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = []
  const server = createServer(tls, (request, response) => {
    requests.push(request.url ?? '')
    request.resume()
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, requests }
}
