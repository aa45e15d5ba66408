import type { JobScope } from '../../../preload/contract/queue-models'

export type { JobScope } from '../../../preload/contract/queue-models'

/**
 * Which jobs a narrowed Transfers view ("Only lab: ...") covers: those of its account and/or watched folder, the
 * whole queue when neither is named. Decided here once for every read and action of a scope (the bulk buttons,
 * clear finished / failed, the problem groups and their actions), so that what the view counts is what it acts on.
 *
 * `IN_SCOPE` is the SQL condition on a jobs row (`inScopeSql('j.')` where the query names it so); bind
 * `scopeParams(scope)` with it.
 */
export const inScopeSql = (alias = '') =>
  `(@accountId IS NULL OR ${alias}account_id = @accountId) AND (@syncPairId IS NULL OR ${alias}sync_pair_id = @syncPairId)`

export const IN_SCOPE = inScopeSql()

export function scopeParams(scope: JobScope = {}): { accountId: string | null; syncPairId: string | null } {
  return { accountId: scope.accountId ?? null, syncPairId: scope.syncPairId ?? null }
}

/** Whether the scope names an account or a folder (else it is the whole queue). */
export const isNarrowed = (scope: JobScope = {}) =>
  scope.accountId !== undefined || scope.syncPairId !== undefined

/** The account's hold (paused_accounts) is the account's, not a folder's: a scope may lift it only if it covers the whole account. */
export const coversAccount = (scope: JobScope, accountId: string) =>
  scope.syncPairId === undefined && (scope.accountId === undefined || scope.accountId === accountId)
