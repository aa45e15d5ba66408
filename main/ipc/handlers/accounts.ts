import { findAccount } from '../../core/accounts/find-account'
import { presetInfos } from '../../core/accounts/preset-info'
import { withPresetDefaults } from '../../core/accounts/providers'
import type { HandlerDeps, Handlers } from '../handlers'
import { command } from './command'

export function accountHandlers(deps: HandlerDeps) {
  const { accounts } = deps
  return {
    'accounts:list': () => accounts.list(),
    'accounts:presets': async () => presetInfos(),
    'accounts:add': (input) => accounts.add(withPresetDefaults(input)),
    'accounts:update': (id, input) => accounts.update(id, input),
    'accounts:remove': command((id) => accounts.remove(id)),
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
    'sse-c:create': command((id, name) => deps.customerKeys.create(id, name)),
    'sse-c:delete': command((id, name) => deps.customerKeys.delete(id, name)),
    'sse-c:import': command((id, name, key) => deps.customerKeys.import(id, name, key)),
    'sse-c:export': (id, name) => deps.customerKeys.export(id, name),
  } satisfies Partial<Handlers>
}
