import type { ChannelArgs, ChannelName, ChannelResult } from '../../preload/contract/channels'
import type { AppInfo } from '../../preload/contract/models'
import type { AccountService } from '../core/accounts/account-service'
import { PROVIDER_PRESETS } from '../core/accounts/providers'

/** One function per contract channel; TypeScript insists every channel has one. */
export type Handlers = {
  [C in ChannelName]: (...args: ChannelArgs<C>) => Promise<ChannelResult<C>>
}

/** The narrow services the handlers need, built by a composition root (Electron, web UI, tests). */
export interface HandlerDeps {
  appInfo: () => AppInfo
  accounts: Pick<AccountService, 'list' | 'add' | 'update' | 'remove' | 'test'>
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => deps.appInfo(),
    'accounts:list': () => deps.accounts.list(),
    'accounts:presets': async () => Object.values(PROVIDER_PRESETS),
    'accounts:add': (input) => deps.accounts.add(input),
    'accounts:update': (id, input) => deps.accounts.update(id, input),
    'accounts:remove': async (id) => {
      await deps.accounts.remove(id)
      return null
    },
    'accounts:test': (id) => deps.accounts.test(id),
  }
}
