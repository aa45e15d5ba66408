import type { SecureContext } from 'node:tls'
import { HttpsProxyAgent } from 'https-proxy-agent'

/**
 * https-proxy-agent builds the endpoint's TLS connection from the request's options, which carry no trust
 * settings: this passes the account's secure context (public roots + its CA) to that connection too.
 */
export class VerifyingProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly endpointContext: SecureContext | undefined,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
  ) {
    super(proxy, options)
  }

  override connect(
    request: Parameters<HttpsProxyAgent<string>['connect']>[0],
    options: Parameters<HttpsProxyAgent<string>['connect']>[1],
  ) {
    if (!options.secureEndpoint || !this.endpointContext) return super.connect(request, options)
    return super.connect(request, { ...options, secureContext: this.endpointContext })
  }
}
