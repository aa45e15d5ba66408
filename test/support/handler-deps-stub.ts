import type { HandlerDeps } from '../../main/ipc/handlers'

/**
 * For unit tests of the transport layer (dispatch, web server): handler dependencies whose unused methods say
 * so if they are called. Tests pass the few methods they exercise.
 */
export function handlerDepsStub(overrides: {
  appInfo?: HandlerDeps['appInfo']
  accounts?: Partial<HandlerDeps['accounts']>
  queue?: Partial<HandlerDeps['queue']>
}): HandlerDeps {
  const unused = (): never => {
    throw new Error('not used by this test')
  }
  const stub = <T extends object>(partial: Partial<T> = {}): T =>
    new Proxy(partial, {
      get: (target, name) => (target as Record<string | symbol, unknown>)[name] ?? unused,
    }) as T
  return {
    appInfo:
      overrides.appInfo ??
      (() => ({
        name: 'OBS Sync',
        version: '0.0.0',
        host: 'web',
        platform: 'x',
        nodeVersion: '20',
        dataDir: '/d',
      })),
    accounts: stub<HandlerDeps['accounts']>({ list: async () => [], ...overrides.accounts }),
    settings: stub(),
    storage: stub(),
    kms: stub(),
    customerKeys: stub(),
    queue: stub<HandlerDeps['queue']>(overrides.queue),
    sync: stub(),
    activity: stub(),
    downloads: stub(),
    folders: stub(),
  }
}
