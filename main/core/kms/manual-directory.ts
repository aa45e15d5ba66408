import type { Account, KmsKey } from '../../../preload/contract/models'
import { PROVIDER_PRESETS } from '../accounts/providers'
import { defaultKeyEntry, mergeKeys } from './key-list'
import type { KmsDirectory } from './kms-directory'

/**
 * The keys the user typed for this account. Their headerId is the text as typed: OBS accepts a bare key id as
 * well as `region:domainId:key/keyId`, S3 a key id, key ARN or alias, and self-hosted servers whatever their
 * KMS calls the key, so the app must not rewrite it. Nothing is known about their state.
 */
export function manualKeys(account: Pick<Account, 'manualKmsKeyIds'>): KmsKey[] {
  const typed = [...new Set((account.manualKmsKeyIds ?? []).map((id) => id.trim()).filter(Boolean))]
  return typed.map((id) => ({ id, headerId: id, state: 'unknown', isDefault: false, origin: 'manual' }))
}

/**
 * The directory of servers without a key-listing API (MinIO, Ceph RGW, other S3): the typed keys, after the
 * provider's default key when the preset names one (sending no key id then means "use the default").
 */
export function createManualKmsDirectory(
  account: Pick<Account, 'provider' | 'manualKmsKeyIds'>,
): KmsDirectory {
  return {
    async listKeys() {
      const alias = PROVIDER_PRESETS[account.provider].defaultKmsKeyAlias
      return mergeKeys(alias ? [defaultKeyEntry(alias)] : [], manualKeys(account))
    },
  }
}
