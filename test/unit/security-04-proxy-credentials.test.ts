// Finding #4 (Medium): a proxy URL with a password was stored in accounts.json and sent to the renderer and to
// `account list --json`. Proxy credentials go to the keychain like the secret key; the stored and sent URL has
// none; the connection still gets them.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAccountService } from '../../main/core/accounts/account-service'
import { createAccountStore } from '../../main/core/accounts/account-store'
import { secretKeys } from '../../main/core/credentials/secret-store'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { createAppServices } from '../../main/services'
import type { Account } from '../../preload/contract/models'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { memorySecrets } from '../support/memory-secrets'
import { accountInput } from './account-fixture'

const input = (proxy: string) => accountInput({ proxy })

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'obs-sync-proxy-'))
  const secrets = memorySecrets()
  const connected: Account[] = []
  const service = createAccountService({
    store: createAccountStore(dataDir),
    secrets,
    connect: async (account) => {
      connected.push(account)
      return { s3: { destroy() {}, send: async () => ({}) }, putObject: async () => ({}) } as never
    },
    env: {},
  })
  return { dataDir, secrets, connected, service }
}

function dataDirText(dataDir: string): string {
  return readdirSync(dataDir)
    .map((name) => readFileSync(join(dataDir, name), 'utf8'))
    .join('\n')
}

describe('#4 proxy credentials live in the keychain, never in a file or a payload', () => {
  it('stored without credentials; the keychain has them; the connection gets them back', async () => {
    const { dataDir, secrets, connected, service } = setup()
    const account = await service.add(input('http://proxyuser:pr0xy-pa55@proxy.lan:3128'))
    expect(account.proxy).toBe('http://proxy.lan:3128')
    expect(dataDirText(dataDir)).not.toContain('pr0xy-pa55')
    expect(dataDirText(dataDir)).not.toContain('proxyuser')
    expect([...secrets.entries.values()]).toContain('proxyuser:pr0xy-pa55')
    await service.client(account.id)
    expect(connected[0]?.proxy).toBe('http://proxyuser:pr0xy-pa55@proxy.lan:3128')
  })

  it('accounts:list sends no credentials to the renderer', async () => {
    const { service } = setup()
    await service.add(input('http://u:pr0xy-pa55@proxy.lan:3128'))
    const dispatch = createDispatch(createHandlers(handlerDepsStub({ accounts: service })))
    const answer = await dispatch('accounts:list', [])
    expect(JSON.stringify(answer)).not.toContain('pr0xy-pa55')
    expect(JSON.stringify(answer)).toContain('http://proxy.lan:3128')
  })

  it('`account list --json` prints no credentials', async () => {
    const { dataDir, service } = setup()
    await service.add(input('http://u:pr0xy-pa55@proxy.lan:3128'))
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'main/cli.ts', '--data-dir', dataDir, 'account', 'list', '--json'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    )
    expect(cli.status).toBe(0)
    expect(cli.stdout).toContain('proxy.lan')
    expect(cli.stdout).not.toContain('pr0xy-pa55')
  }, 60_000)

  it('editing keeps the stored credentials for the same proxy, drops them when the proxy goes', async () => {
    const { dataDir, secrets, connected, service } = setup()
    const account = await service.add(input('http://u:pr0xy-pa55@proxy.lan:3128'))
    // The form shows the credential-free URL; saving it unchanged keeps the password.
    await service.update(account.id, { ...input('http://proxy.lan:3128'), secretAccessKey: undefined })
    await service.client(account.id)
    expect(connected.at(-1)?.proxy).toBe('http://u:pr0xy-pa55@proxy.lan:3128')
    await service.update(account.id, { ...input(''), secretAccessKey: undefined })
    expect([...secrets.entries.values()]).not.toContain('u:pr0xy-pa55')
    expect(dataDirText(dataDir)).not.toContain('pr0xy-pa55')
  })
})

describe('#4 accounts files of older versions, with the proxy credentials inside the URL', () => {
  async function oldAccountsFile() {
    const dataDir = mkdtempSync(join(tmpdir(), 'obs-sync-proxy-old-'))
    // Written the way versions before the fix wrote it: the password inside the stored proxy URL.
    const old = await createAccountStore(dataDir).add({
      ...input('http://proxyuser:pr0xy-pa55@proxy.lan:3128'),
      secretAccessKey: undefined,
    } as never)
    expect(dataDirText(dataDir)).toContain('pr0xy-pa55')
    return { dataDir, old }
  }

  it('are migrated on first use: the password moves to the keychain, the file and accounts:list lose it', async () => {
    const { dataDir, old } = await oldAccountsFile()
    const secrets = memorySecrets()
    const services = createAppServices({ dataDir, host: 'web', secrets, log: () => {} })
    const answer = await services.dispatch('accounts:list', [])
    expect(JSON.stringify(answer)).not.toContain('pr0xy-pa55')
    expect(JSON.stringify(answer)).toContain('http://proxy.lan:3128')
    expect(dataDirText(dataDir)).not.toContain('pr0xy-pa55')
    expect(secrets.entries.get(secretKeys.proxyCredentials(old.id))).toBe('proxyuser:pr0xy-pa55')
    await services.shutdown()
  })

  it('when the keychain cannot take the password, nothing is sent and the message says why and what to do', async () => {
    const { dataDir } = await oldAccountsFile()
    const secrets = {
      ...memorySecrets(),
      set: async () => {
        throw new Error('keychain locked')
      },
    }
    const services = createAppServices({ dataDir, host: 'web', secrets, log: () => {} })
    const answer = await services.dispatch('accounts:list', [])
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('proxy password of "lab"') },
    })
    expect(JSON.stringify(answer)).not.toContain('pr0xy-pa55')
    await services.shutdown()
  })
})
