import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListBucketsCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { createAccountService } from '../../main/core/accounts/account-service'
import { createAccountStore } from '../../main/core/accounts/account-store'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'
import type { SecretStore } from '../../main/core/credentials/secret-store'
import { createCustomerKeys } from '../../main/core/encryption/customer-keys'
import { createS3Client } from '../../main/core/storage/s3-client'
import type { AccountInput } from '../../preload/contract/models'
import { startConnectProxy } from '../support/fixtures/connect-proxy'
import { harnessAccountInput } from '../support/queue-harness'
import { freshBucket } from '../support/s3'

const { rgw } = inject('services')

async function service(secrets: SecretStore = createKeytarStore(`OBS Sync (accounts ${randomUUID()})`)) {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-accounts-it-'))
  const accounts = createAccountService({
    store: createAccountStore(dir),
    secrets,
    connect: (account, credentials) => createS3Client(account, credentials),
  })
  return { accounts, secrets, dir }
}

const input = (overrides: Partial<AccountInput> = {}): AccountInput =>
  harnessAccountInput(rgw, { name: 'harness', ...overrides })

describe('accounts with secrets in the real keychain', () => {
  it('add keeps the secret in the keychain only; test connects; remove deletes its keychain entries', async () => {
    const { accounts, secrets, dir } = await service()
    const account = await accounts.add(input())
    const file = await readFile(join(dir, 'accounts.json'), 'utf8')
    expect(file).toContain(rgw.accessKeyId)
    expect(file).not.toContain(rgw.secretAccessKey)
    expect(await secrets.get(`${account.id}/secret-access-key`)).toBe(rgw.secretAccessKey)

    await freshBucket(rgw, 'acct')
    const test = await accounts.test(account.id)
    expect(test.bucketCount).toBeGreaterThan(0)

    await createCustomerKeys(secrets).create(account.id, 'archive key')
    expect((await secrets.keys()).filter((k) => k.startsWith(account.id))).toHaveLength(2)
    await accounts.remove(account.id)
    expect(await accounts.list()).toEqual([])
    expect((await secrets.keys()).filter((k) => k.startsWith(account.id))).toEqual([])
  })

  it('edit changes settings and, when given, the secret; a wrong secret is named by the connection test', async () => {
    const { accounts } = await service()
    const account = await accounts.add(input())
    await accounts.update(
      account.id,
      input({ name: 'renamed', secretAccessKey: 'wrong-secret-0000000000000000000000000000' }),
    )
    await expect(accounts.test(account.id)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' })
    await accounts.update(account.id, input({ name: 'renamed', secretAccessKey: rgw.secretAccessKey }))
    expect((await accounts.test(account.id)).bucketCount).toBeGreaterThanOrEqual(0)
    expect((await accounts.list()).map((a) => a.name)).toEqual(['renamed'])
  })

  it('a wrong endpoint, an untrusted certificate and HTTP-vs-HTTPS mistakes are named', async () => {
    const { accounts } = await service()
    const unreachable = await accounts.add(input({ name: 'down', endpoint: 'https://127.0.0.1:9' }))
    await expect(accounts.test(unreachable.id)).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE' })
    const untrusted = await accounts.add(input({ name: 'no-ca', caFile: undefined }))
    await expect(accounts.test(untrusted.id)).rejects.toMatchObject({ code: 'TLS_FAILURE' })
    const httpsToHttpPort = await accounts.add(
      input({ name: 'tls-to-http', endpoint: rgw.httpEndpoint.replace('http:', 'https:') }),
    )
    await expect(accounts.test(httpsToHttpPort.id)).rejects.toMatchObject({ code: 'TLS_FAILURE' })
    await expect(accounts.add(input({ name: 'bad', endpoint: 'ftp://example.com' }))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
    await expect(
      accounts.add(input({ name: 'creds-in-url', endpoint: 'https://ak:sk@example.com' })),
    ).rejects.toThrow(/not in the endpoint address/)
  })

  it('when the keychain is unavailable, adding an account fails with the reason and leaves nothing behind', async () => {
    const broken: SecretStore = createKeytarStore('OBS Sync (broken)', async () => {
      throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')
    })
    const { accounts, dir } = await service(broken)
    await expect(accounts.add(input())).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect(await accounts.list()).toEqual([])
    const file = await readFile(join(dir, 'accounts.json'), 'utf8').catch(() => '')
    expect(file).not.toContain(rgw.secretAccessKey)
  })

  it('a headless server may pass the secret in the environment instead of the keychain', async () => {
    const empty = createKeytarStore(`OBS Sync (env ${randomUUID()})`)
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-accounts-env-'))
    const store = createAccountStore(dir)
    const { secretAccessKey: _s, ...settings } = input()
    const account = await store.add(settings)
    const withoutEnv = createAccountService({
      store,
      secrets: empty,
      connect: (a, c) => createS3Client(a, c),
      env: {},
    })
    await expect(withoutEnv.test(account.id)).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' })
    const withEnv = createAccountService({
      store,
      secrets: empty,
      connect: (a, c) => createS3Client(a, c),
      env: { OBS_SYNC_ACCESS_KEY_ID: rgw.accessKeyId, OBS_SYNC_SECRET_ACCESS_KEY: rgw.secretAccessKey },
    })
    expect((await withEnv.test(account.id)).bucketCount).toBeGreaterThanOrEqual(0)
  })

  it('talks through an HTTP CONNECT proxy, still verifying the endpoint certificate', async () => {
    const proxy = await startConnectProxy()
    try {
      const { s3: viaProxy } = await createS3Client(
        {
          endpoint: rgw.httpsEndpoint,
          region: rgw.region,
          addressing: 'path',
          caFile: rgw.caFile,
          proxy: proxy.url,
        },
        { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
      )
      const answer = await viaProxy.send(new ListBucketsCommand({}))
      expect(answer.Buckets).toBeDefined()
      expect(proxy.tunnels).toContain(new URL(rgw.httpsEndpoint).host)
      const { s3: untrusted } = await createS3Client(
        { endpoint: rgw.httpsEndpoint, region: rgw.region, addressing: 'path', proxy: proxy.url },
        { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
      )
      await expect(untrusted.send(new ListBucketsCommand({}))).rejects.toThrow(/certificate/i)
    } finally {
      await proxy.close()
    }
  })
})
