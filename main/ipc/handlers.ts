import type { ChannelArgs, ChannelName, ChannelResult } from '../../preload/contract/channels'
import type { AppInfo } from '../../preload/contract/models'
import type { AccountStore } from '../core/accounts/account-store'

/** One function per contract channel; TypeScript insists every channel has one. */
export type Handlers = {
  [C in ChannelName]: (...args: ChannelArgs<C>) => Promise<ChannelResult<C>>
}

/** The narrow services the handlers need, built by a composition root (Electron, web UI, tests). */
export interface HandlerDeps {
  appInfo: () => AppInfo
  accounts: Pick<AccountStore, 'list'>
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => deps.appInfo(),
    'accounts:list': () => deps.accounts.list(),
  }
}
