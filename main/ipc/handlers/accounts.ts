import { findAccount } from '../../core/accounts/find-account'
import { presetInfos } from '../../core/accounts/preset-info'
import { withPresetDefaults } from '../../core/accounts/providers'
import type { HandlerDeps, Handlers } from '../handlers'

type AccountChannels =
  | 'accounts:list'
  | 'accounts:presets'
  | 'accounts:add'
  | 'accounts:update'
  | 'accounts:remove'
  | 'accounts:test'
  | 'accounts:find'
  | 'kms:keys'
  | 'kms:add-manual'
  | 'kms:remove-manual'
  | 'sse-c:list'
  | 'sse-c:create'
  | 'sse-c:delete'
  | 'sse-c:import'
  | 'sse-c:export'

export function accountHandlers(deps: HandlerDeps): Pick<Handlers, AccountChannels> {
  const { accounts } = deps
  return {
    'accounts:list': () => accounts.list(),
    'accounts:presets': async () => presetInfos(),
    'accounts:add': (input) => accounts.add(withPresetDefaults(input)),
    'accounts:update': (id, input) => accounts.update(id, input),
    'accounts:remove': async (id) => {
      await accounts.remove(id)
      return null
    },
    'accounts:test': (id) => accounts.test(id),
    'accounts:find': async ({ nameOrId }) => findAccount(await accounts.list(), nameOrId),
    'kms:keys': (id) => deps.kms.listing(id),
    'kms:add-manual': async (id, keyId) => {
      const { account } = await accounts.client(id)
      return accounts.setManualKmsKeys(account.id, [...(account.manualKmsKeyIds ?? []), keyId])
    },
    'kms:remove-manual': async (id, keyId) => {
      const { account } = await accounts.client(id)
      return accounts.setManualKmsKeys(
        account.id,
        (account.manualKmsKeyIds ?? []).filter((k) => k !== keyId),
      )
    },
    'sse-c:list': (id) => deps.customerKeys.list(id),
    'sse-c:create': async (id, name) => {
      await deps.customerKeys.create(id, name)
      return null
    },
    'sse-c:delete': async (id, name) => {
      await deps.customerKeys.delete(id, name)
      return null
    },
    'sse-c:import': async (id, name, key) => {
      await deps.customerKeys.import(id, name, key)
      return null
    },
    'sse-c:export': (id, name) => deps.customerKeys.export(id, name),
  }
}
