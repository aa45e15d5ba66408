import type { Account } from '../../../preload/contract/models'
import { connectionProxy } from '../accounts/proxy-url'
import { resolveCredentials } from '../credentials/resolve-credentials'
import type { SecretStore } from '../credentials/secret-store'
import { createKmsDirectory } from './create-kms-directory'
import type { KmsDirectoryOptions, KmsKeyListing } from './kms-directory'
import { listKeysForPicker } from './picker-listing'

/** The answer of the `kms:keys` channel (see KmsKeyListing for what each field is for). */
export type KeyPickerListing = KmsKeyListing

/** What the IPC handler of the key picker needs: an account id in, the picker's listing out. */
export interface KmsPickerSource {
  listing(accountId: string): Promise<KeyPickerListing>
}

/**
 * Builds the picker source from narrow dependencies, for the composition roots. An unknown account id fails the
 * call (ACCOUNT_NOT_FOUND: nothing to show); everything after that, a secret missing from the keychain included,
 * becomes the listing's `listingError`, with the default key and the typed keys still offered.
 */
export function createKmsPickerSource(deps: {
  accounts: { get(id: string): Promise<Account> }
  secrets: SecretStore
  env?: NodeJS.ProcessEnv
  options?: KmsDirectoryOptions
}): KmsPickerSource {
  return {
    async listing(accountId) {
      const account = await deps.accounts.get(accountId)
      return listKeysForPicker(account, async () =>
        createKmsDirectory(
          // The KMS listing goes through the account's proxy like its S3 requests (credentials from the keychain).
          { ...account, proxy: await connectionProxy(account, deps.secrets) },
          await resolveCredentials(account, deps.secrets, deps.env),
          deps.options,
        ),
      )
    },
  }
}
