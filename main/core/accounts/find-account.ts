import type { Account } from '../../../preload/contract/models'
import { AppError } from '../errors'

/**
 * The account a command means: the one whose name or id is given, or, when none is given, the only account
 * configured. Every shell asks this one function (through `accounts:find`).
 */
export function findAccount(accounts: readonly Account[], nameOrId: string | undefined): Account {
  if (nameOrId) {
    const found = accounts.find((a) => a.name === nameOrId || a.id === nameOrId)
    if (!found)
      throw new AppError(
        'ACCOUNT_NOT_FOUND',
        `There is no account "${nameOrId}". See \`obs-sync account list\`.`,
        { params: { account: nameOrId } },
      )
    return found
  }
  if (accounts.length === 1 && accounts[0]) return accounts[0]
  throw new AppError(
    'INVALID_ARGUMENT',
    accounts.length === 0
      ? 'No account yet: add one with `obs-sync account add`.'
      : 'Several accounts exist: choose one with --account <name>.',
  )
}
