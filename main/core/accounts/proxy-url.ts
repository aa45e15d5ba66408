import type { Account } from '../../../preload/contract/models'
import { type SecretStore, secretKeys } from '../credentials/secret-store'
import { AppError } from '../errors'

/**
 * A proxy address splits into what may be stored and shown (scheme, host, port) and its credentials
 * (`user:password`), which are a secret: they go to the keychain like the secret key, and are put back into
 * the URL only when a connection is made.
 */
export function splitProxyUrl(raw: string | undefined): { url?: string; credentials?: string } {
  if (!raw) return {}
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('INVALID_ARGUMENT', 'The proxy must be an address like http://proxy.example:3128.', {
      params: { rule: 'proxyAddress' },
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('INVALID_ARGUMENT', 'The proxy must be an address like http://proxy.example:3128.', {
      params: { rule: 'proxyAddress' },
    })
  const credentials = url.username || url.password ? `${url.username}:${url.password}` : undefined
  return { url: url.origin, credentials }
}

/** The stored (credential-free) proxy URL with its credentials from the keychain, for the connection only. */
export function withProxyCredentials(url: string, credentials: string | null): string {
  if (!credentials) return url
  const [user = '', ...password] = credentials.split(':')
  const full = new URL(url)
  full.username = user
  full.password = password.join(':')
  return full.origin.replace('//', `//${full.username}:${full.password}@`)
}

/** The account's proxy URL with its credentials from the keychain, for a connection only (S3 and KMS). */
export async function connectionProxy(
  account: Pick<Account, 'id' | 'proxy'>,
  secrets: SecretStore,
): Promise<string | undefined> {
  if (!account.proxy) return undefined
  return withProxyCredentials(account.proxy, await secrets.get(secretKeys.proxyCredentials(account.id)))
}
