import { type SecretStore, secretKeys } from '../credentials/secret-store'
import { AppError } from '../errors'
import { onceUntilFailure } from '../once-until-failure'
import type { AccountStore } from './account-store'
import { splitProxyUrl } from './proxy-url'

/**
 * Accounts files written before proxy credentials went to the keychain hold them inside the proxy URL
 * (`http://user:password@proxy:3128`). Before anything reads the accounts, such credentials are moved to the
 * keychain (like the secret key) and the URL is stored without them, once. If the keychain cannot take them,
 * nothing is read: the accounts would otherwise be shown and sent with the password in them.
 */
export function withProxyCredentialMigration(store: AccountStore, secrets: SecretStore): AccountStore {
  async function migrate(): Promise<void> {
    for (const account of await store.list()) {
      const { url, credentials } = splitProxyUrl(account.proxy)
      if (!credentials) continue
      try {
        await secrets.set(secretKeys.proxyCredentials(account.id), credentials)
      } catch (error) {
        throw new AppError(
          'KEYCHAIN_UNAVAILABLE',
          `The accounts file keeps the proxy password of "${account.name}" from an older version; it must move to the keychain, which cannot be reached. Unlock the keychain and try again, or remove the password from the proxy address in accounts.json.`,
          { cause: error, params: { cause: 'proxyPasswordKeychain', account: account.name } },
        )
      }
      await store.update(account.id, { proxy: url })
    }
  }

  const ready = onceUntilFailure(migrate)

  /** The same call, once the accounts file holds no proxy credentials any more. */
  function after<A extends unknown[], R>(call: (...args: A) => Promise<R>) {
    return async (...args: A): Promise<R> => {
      await ready()
      return call(...args)
    }
  }

  return {
    list: after(store.list),
    get: after(store.get),
    add: after(store.add),
    update: after(store.update),
    remove: after(store.remove),
  }
}
