import type { Agent } from 'node:http'
import { createSecureContext, type SecureContext } from 'node:tls'

/**
 * Which proxy a connection to `target` goes through: the account's own proxy if it sets one; otherwise the
 * HTTPS_PROXY (https targets) or HTTP_PROXY (http targets) of the environment, upper or lower case, unless
 * NO_PROXY names the host (curl's rules: `*`, a host, a domain with or without a leading dot or `*.`, an
 * optional `:port`). One decision for the S3 client and both KMS directories.
 */
export function proxyFor(
  accountProxy: string | undefined,
  target: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (accountProxy) return accountProxy
  const url = new URL(target)
  const fromEnv =
    url.protocol === 'https:' ? env.HTTPS_PROXY || env.https_proxy : env.HTTP_PROXY || env.http_proxy
  if (!fromEnv || bypassesProxy(url, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined
  return fromEnv
}

function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((raw) => {
      if (raw === '*') return true
      const entry = raw.toLowerCase()
      const portMatch = /^(.*?)(?::(\d+))?$/.exec(
        entry.startsWith('[') ? entry.replace(/^\[(.*)\]/, '$1') : entry,
      )
      const name = (portMatch?.[1] ?? entry).replace(/^\*?\./, '')
      const entryPort = portMatch?.[2]
      if (entryPort && entryPort !== port) return false
      return host === name || host.endsWith(`.${name}`)
    })
}

/**
 * An agent for https requests through `proxy` (HTTP CONNECT), whose TLS to the endpoint is verified against
 * `ca` when given (public roots + the account's CA), else against Node's default store. Loaded only when used.
 */
export async function proxyAgent(
  proxy: string,
  ca: string[] | undefined,
  options: { keepAlive: boolean; maxSockets: number },
): Promise<Agent> {
  const { VerifyingProxyAgent } = await import('./proxy-agent')
  const context: SecureContext | undefined = ca ? createSecureContext({ ca }) : undefined
  return new VerifyingProxyAgent(proxy, context, options)
}
