import type { HandlerDeps } from '../../main/ipc/handlers'

/** For unit tests of the transport layer: an account service whose unused methods say so if called. */
export function accountServiceStub(overrides: Partial<HandlerDeps['accounts']>): HandlerDeps['accounts'] {
  const unused = async () => {
    throw new Error('not used by this test')
  }
  return { list: async () => [], add: unused, update: unused, remove: unused, test: unused, ...overrides }
}
