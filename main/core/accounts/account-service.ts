import { randomUUID } from 'node:crypto'
import { isAbsolute } from 'node:path'
import type { Account, AccountInput, ConnectionTest } from '../../../preload/contract/models'
import { resolveCredentials } from '../credentials/resolve-credentials'
import { type SecretStore, secretKeys } from '../credentials/secret-store'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { classifyS3Error } from '../storage/classify-error'
import type { S3Connection, S3Credentials } from '../storage/s3-client'
import type { AccountStore, NewAccount } from './account-store'
import { connectionProxy, splitProxyUrl } from './proxy-url'
import { normalizeEndpoint } from './validate-endpoint'

export type ConnectS3 = (account: Account, credentials: S3Credentials) => Promise<S3Connection>

/** An account was added, edited or removed: everything derived from its settings or secret is stale now. */
export interface AccountChange {
  accountId: string
  kind: 'added' | 'updated' | 'removed'
  /** The accounts as they are now (the `accounts:changed` event's payload). */
  accounts: Account[]
}

export interface AccountService {
  list(): Promise<Account[]>
  add(input: AccountInput): Promise<Account>
  update(id: string, input: AccountInput): Promise<Account>
  remove(id: string): Promise<void>
  test(id: string): Promise<ConnectionTest>
  /** A ready client for the account: credentials from env or keychain, errors classified. */
  client(id: string): Promise<{ account: Account } & S3Connection>
  setManualKmsKeys(id: string, keyIds: string[]): Promise<Account>
  /**
   * Hears of every change, after the cached connection of that account was dropped: a listener that asks for a
   * client gets one built from the new settings and secret.
   */
  onChange(listener: (change: AccountChange) => void): () => void
  /** Closes every cached connection (on quit). */
  close(): void
}

/**
 * A dropped connection is closed only after this long: requests already under way with it (an upload part, a
 * listing) finish or time out on their own instead of being cut; every new request uses the new connection.
 */
const RETIRED_CONNECTION_GRACE_MS = 120_000

/**
 * A CA file is kept as a full path: the account is used from every process and folder (the app, `serve`, the
 * CLI run anywhere), so a path relative to wherever it was typed would point elsewhere next time.
 */
function caFileOf(input: AccountInput): string | undefined {
  if (!input.caFile) return undefined
  if (!isAbsolute(input.caFile)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `Give the CA certificate file with its full path ("${input.caFile}" is relative to no fixed folder).`,
      { params: { rule: 'caFileRelative', file: input.caFile } },
    )
  }
  return input.caFile
}

function settingsOf(input: AccountInput): NewAccount {
  const { secretAccessKey: _secret, ...settings } = input
  return {
    ...settings,
    endpoint: normalizeEndpoint(input.endpoint),
    caFile: caFileOf(input),
    proxy: splitProxyUrl(input.proxy).url,
  }
}

/**
 * Accounts with their secrets: settings in the accounts file, the secret key in the keychain only. Writes are
 * ordered so that a keychain failure leaves no half-made account behind.
 */
export function createAccountService(deps: {
  store: AccountStore
  secrets: SecretStore
  connect: ConnectS3
  env?: NodeJS.ProcessEnv
  onListenerError?: (error: unknown) => void
}): AccountService {
  const { store, secrets, connect } = deps
  // One client per account, so keep-alive connections are reused; dropped when the account changes.
  const clients = new Map<string, Promise<{ account: Account } & S3Connection>>()
  const listeners = new Set<(change: AccountChange) => void>()

  function forget(id: string, graceMs = 0): void {
    const cached = clients.get(id)
    if (!cached) return
    clients.delete(id)
    const destroy = () => void cached.then((connection) => connection.close()).catch(() => {})
    if (graceMs === 0) destroy()
    else setTimeout(destroy, graceMs).unref()
  }

  /** The one way a change is published: the account's connection is dropped first, then listeners hear of it. */
  async function changed(accountId: string, kind: AccountChange['kind']): Promise<void> {
    forget(accountId, RETIRED_CONNECTION_GRACE_MS)
    const change = { accountId, kind, accounts: await store.list() }
    for (const listener of [...listeners]) {
      try {
        listener(change)
      } catch (error) {
        deps.onListenerError?.(error)
      }
    }
  }

  async function connectFresh(id: string) {
    const account = await store.get(id)
    const credentials = await resolveCredentials(account, secrets, deps.env)
    // The proxy's credentials join its URL for this connection only; `account` as returned stays without them.
    const proxy = await connectionProxy(account, secrets)
    return { account, ...(await connect({ ...account, proxy }, credentials)) }
  }

  function client(id: string) {
    let cached = clients.get(id)
    if (!cached) {
      cached = connectFresh(id)
      clients.set(id, cached)
      cached.catch(() => clients.delete(id))
    }
    return cached
  }

  return {
    list: () => store.list(),
    async add(input) {
      if (!input.secretAccessKey)
        throw new AppError('INVALID_ARGUMENT', 'Enter the secret key of the account.', {
          params: { rule: 'secretMissing' },
        })
      const settings = settingsOf(input)
      if ((await store.list()).some((a) => a.name === settings.name)) {
        throw new AppError('ACCOUNT_EXISTS', `An account named "${settings.name}" already exists.`, {
          params: { name: settings.name },
        })
      }
      // The secret goes to the keychain first: the account is announced (accounts:changed) only once it can
      // connect, and a keychain failure leaves no account behind.
      const id = randomUUID()
      await secrets.set(secretKeys.secretAccessKey(id), input.secretAccessKey)
      const proxyCredentials = splitProxyUrl(input.proxy).credentials
      let added: Account
      try {
        if (proxyCredentials) await secrets.set(secretKeys.proxyCredentials(id), proxyCredentials)
        added = await store.add(settings, id)
      } catch (error) {
        await secrets.delete(secretKeys.secretAccessKey(id)).catch(() => false)
        await secrets.delete(secretKeys.proxyCredentials(id)).catch(() => false)
        throw error
      }
      await changed(added.id, 'added')
      return added
    },
    // Any edit (secret, endpoint, region, addressing, CA file, proxy...) applies at once: the cached connection is
    // dropped and listeners (the queue releasing held jobs, the windows) hear of it; nothing waits for a restart.
    async update(id, input) {
      const current = await store.get(id)
      if (input.secretAccessKey)
        await secrets.set(secretKeys.secretAccessKey(current.id), input.secretAccessKey)
      const settings = settingsOf(input)
      // The form shows the proxy without its credentials: saved unchanged, the stored ones stay; a new proxy
      // with credentials replaces them; another proxy without, or none, drops them.
      const proxyCredentials = splitProxyUrl(input.proxy).credentials
      const proxyKey = secretKeys.proxyCredentials(current.id)
      if (proxyCredentials) await secrets.set(proxyKey, proxyCredentials)
      else if (settings.proxy !== current.proxy) await secrets.delete(proxyKey)
      const updated = await store.update(current.id, settings)
      await changed(current.id, 'updated')
      return updated
    },
    async remove(id) {
      const account = await store.get(id)
      // Keychain first: if it cannot be reached the account stays, so no secret is orphaned unseen.
      for (const key of await secrets.keys()) {
        if (key.startsWith(`${account.id}/`)) await secrets.delete(key)
      }
      forget(account.id)
      await store.remove(account.id)
      await changed(account.id, 'removed')
    },
    async test(id) {
      const { account, s3, close } = await connectFresh(id)
      // The SDK loads before the clock starts: the latency shown is the server's, not the SDK's start-up.
      const command = new (await s3Sdk()).ListBucketsCommand({})
      const started = performance.now()
      try {
        const answer = await s3.send(command)
        return {
          bucketCount: answer.Buckets?.length ?? 0,
          latencyMs: Math.round(performance.now() - started),
        }
      } catch (error) {
        throw classifyS3Error(error, { endpoint: account.endpoint })
      } finally {
        close()
      }
    },
    client,
    async setManualKmsKeys(id, keyIds) {
      const account = await store.get(id)
      const updated = await store.update(account.id, { manualKmsKeyIds: [...new Set(keyIds)] })
      await changed(account.id, 'updated')
      return updated
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      for (const id of [...clients.keys()]) forget(id)
    },
  }
}
