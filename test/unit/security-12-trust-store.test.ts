// Finding #12 (Low), the part done here: an account with a CA file lost the CAs of NODE_EXTRA_CA_CERTS (the
// account's CA replaced Node's extended store instead of extending it). Tried with real TLS servers on
// 127.0.0.1, each signed by its own throwaway CA, through the KMS directory's transport (createNodeTransport).
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createNodeTransport } from '../../main/core/kms/http-transport'
import { trustedCertificates } from '../../main/core/trusted-ca'
import { makeTestCa, startTlsServer } from '../support/test-tls'

const servers: Server[] = []
let company: { caFile: string; url: string }
let account: { caFile: string; url: string }
let stranger: { url: string }

beforeAll(async () => {
  const start = async (name: string) => {
    const ca = makeTestCa(name)
    const { url, server } = await startTlsServer(name, ca)
    servers.push(server)
    return { caFile: ca.caFile, url }
  }
  company = await start('company') // a CA the administrator added with NODE_EXTRA_CA_CERTS
  account = await start('account') // the account's own CA file
  stranger = await start('stranger') // trusted by nobody
}, 60_000)
afterAll(() => {
  for (const server of servers) server.close()
})

async function get(url: string, ca: string[] | undefined): Promise<string> {
  const answer = await createNodeTransport({ ca, timeoutMs: 10_000 })({ url, method: 'GET', headers: {} })
  return answer.body
}

describe('#12 the account’s CA file extends the trust store, it does not replace it', () => {
  it('with an account CA: servers of the account CA and of NODE_EXTRA_CA_CERTS are both trusted, others not', async () => {
    const ca = await trustedCertificates(account.caFile, { NODE_EXTRA_CA_CERTS: company.caFile })
    expect(await get(account.url, ca)).toBe('ok from account')
    expect(await get(company.url, ca)).toBe('ok from company')
    await expect(get(stranger.url, ca)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
  })

  it('the public roots stay trusted and an unreadable NODE_EXTRA_CA_CERTS is left out, not fatal', async () => {
    const ca = await trustedCertificates(account.caFile, { NODE_EXTRA_CA_CERTS: '/nonexistent/extra.pem' })
    expect(ca?.length).toBeGreaterThan(100)
    expect(await get(account.url, ca)).toBe('ok from account')
  })

  it('a system bundle in NODE_EXTRA_CA_CERTS: its public roots are parsed once, its other certificates kept', async () => {
    // Two public roots (one with Windows line ends) and the company's CA, as a system bundle holds them.
    const bundle = join(tmpdir(), `obs-sync-extra-ca-${process.pid}.pem`)
    onTestFinished(() => rmSync(bundle, { force: true }))
    const crlf = (pem: string) => pem.replace(/\n/g, '\r\n')
    writeFileSync(
      bundle,
      [rootCertificates[0], crlf(rootCertificates[1] ?? ''), readFileSync(company.caFile, 'utf8')].join('\n'),
    )
    const ca = (await trustedCertificates(account.caFile, { NODE_EXTRA_CA_CERTS: bundle })) ?? []
    const body = (pem: string) => pem.replace(/-----[A-Z0-9 ]+-----|\s/g, '')
    const holding = (root: string) => ca.filter((entry) => body(entry).includes(body(root))).length
    expect(holding(rootCertificates[0] ?? '')).toBe(1)
    expect(holding(rootCertificates[1] ?? '')).toBe(1)
    expect(ca).toHaveLength(rootCertificates.length + 2)
    expect(await get(company.url, ca)).toBe('ok from company')
    expect(await get(account.url, ca)).toBe('ok from account')
    await expect(get(stranger.url, ca)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
  })
})
