import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
`

function openssl(dir: string, args: string[]): void {
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`)
}

/** A throwaway CA and a localhost server certificate it signed (the same shapes as test/support/rgw.sh's). */
export function makeTestCa(name: string): { caFile: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), `obs-sync-ca-${name}-`))
  writeFileSync(join(dir, 'openssl.cnf'), OPENSSL_CNF)
  const ec = [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-sha256',
    '-config',
    'openssl.cnf',
  ]
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    ...ec,
    '-days',
    '2',
    '-extensions',
    'ca_ext',
    '-subj',
    `/CN=OBS Sync test CA ${name}`,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ])
  openssl(dir, [
    'req',
    '-new',
    ...ec,
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ])
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    'openssl.cnf',
    '-extensions',
    'server_ext',
    '-out',
    'server.crt',
  ])
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
