import { afterAll } from 'vitest'
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from './fault-proxy'
import type { RgwEnv } from './services'

/**
 * For the tests of a describe (or a file): starts fault proxies in front of the run's RGW (its HTTPS port) and
 * closes every one of them after those tests.
 */
export function faultProxiesToRgw(
  rgw: RgwEnv,
): (options?: Omit<FaultProxyOptions, 'targetHost' | 'targetPort'>) => Promise<FaultProxy> {
  const started: FaultProxy[] = []
  afterAll(async () => {
    await Promise.all(started.map((proxy) => proxy.close()))
  })
  return async (options = {}) => {
    const target = new URL(rgw.httpsEndpoint)
    const proxy = await startFaultProxy({
      targetHost: target.hostname,
      targetPort: Number(target.port),
      ...options,
    })
    started.push(proxy)
    return proxy
  }
}
