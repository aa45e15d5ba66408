import { defineStore } from 'pinia'
import { ref } from 'vue'
import { kmsHeaderId, kmsKeyMatches } from '../../../preload/contract/kms-key-reference'
import type { KmsKey, KmsKeyState } from '../../../preload/contract/models'
import { consoleFamily } from '../../../preload/contract/provider-wording'
import { describeIpcError, toUiError, type UiError } from '../errors'
import { t } from '../i18n'
import { useIpc } from '../ipc/inject'
import { useAccountsStore } from './accounts'

/** What the key picker shows for one account. */
export interface KeyListing {
  loading: boolean
  keys: KmsKey[]
  /** Listing the keys failed (often a missing permission); manual entry still works. */
  listingError?: UiError
  /** Where to create a key in the provider's console. */
  consoleUrl?: string
  /** False for servers without a key-listing API (MinIO, RGW): typing the key id is the normal way there. */
  providerLists: boolean
  /** The call itself failed. */
  error?: UiError
}

/** Why a key in this state cannot be chosen (message keys). */
const REASONS: Partial<Record<KmsKeyState, string>> = {
  disabled: 'kmsReason.disabled',
  'pending-deletion': 'kmsReason.pendingDeletion',
  'pending-activation': 'kmsReason.pendingActivation',
  'pending-import': 'kmsReason.pendingImport',
}

/** Enabled keys, and typed keys whose state nobody can tell, may be chosen; the others are shown with why not. */
export function isSelectable(key: KmsKey): boolean {
  return key.state === 'enabled' || key.state === 'unknown'
}

export function unusableReason(key: KmsKey): string | undefined {
  const reason = REASONS[key.state]
  return isSelectable(key) || !reason ? undefined : t(reason)
}

/** The key state as the account's provider's KMS console names it (consoleFamily decides which console). */
export function stateLabel(state: KmsKeyState, provider?: string): string {
  return t(`kmsState.${consoleFamily(provider)}.${state}`)
}

/** The id the SSE-KMS header needs; undefined for the provider's default key (sent as no key id). */
export const keyIdForChoice = kmsHeaderId

/** Does `reported` (a key id as a server reports it: bare id, OBS `region:domain:key/id`, ARN) name this key? */
export const keyMatches = kmsKeyMatches

/** KMS keys per account, for the key picker and for naming the key of an encrypted object. */
export const useKmsStore = defineStore('kms', () => {
  const ipc = useIpc()
  const accounts = useAccountsStore()
  const listings = ref<Record<string, KeyListing>>({})

  async function load(accountId: string, force = false): Promise<void> {
    const existing = listings.value[accountId]
    if (existing && !force && (existing.loading || !existing.error)) return
    listings.value[accountId] = {
      loading: true,
      keys: existing?.keys ?? [],
      providerLists: existing?.providerLists ?? true,
    }
    try {
      const answer = await ipc.call('kms:keys', accountId)
      listings.value[accountId] = {
        loading: false,
        keys: answer.keys,
        listingError: answer.listingError ? describeIpcError(answer.listingError) : undefined,
        consoleUrl: answer.consoleUrl,
        providerLists: answer.providerLists,
      }
    } catch (e) {
      listings.value[accountId] = { loading: false, keys: [], providerLists: true, error: toUiError(e) }
    }
  }

  function listing(accountId: string | undefined): KeyListing | undefined {
    return accountId ? listings.value[accountId] : undefined
  }

  /** Remembers a key id typed by hand for this account, then lists again so it appears in the picker. */
  async function addManual(accountId: string, keyId: string): Promise<void> {
    const account = await ipc.call('kms:add-manual', accountId, keyId)
    accounts.upsert(account)
    await load(accountId, true)
  }

  async function removeManual(accountId: string, keyId: string): Promise<void> {
    const account = await ipc.call('kms:remove-manual', accountId, keyId)
    accounts.upsert(account)
    await load(accountId, true)
  }

  /** The known key a server-reported id names, if the listing has it. */
  function findKey(accountId: string | undefined, reported: string | undefined): KmsKey | undefined {
    if (!reported) return undefined
    return listing(accountId)?.keys.find((key) => keyMatches(key, reported))
  }

  return { listings, load, listing, addManual, removeManual, findKey }
})
