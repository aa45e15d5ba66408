import type { Account } from '../../../preload/contract/models'
import { fillRegion, PROVIDER_PRESETS } from '../accounts/providers'
import { toIpcError } from '../errors'
import { mergeKeys } from './key-list'
import type { KmsDirectory, KmsKeyListing } from './kms-directory'
import { createManualKmsDirectory, manualKeys } from './manual-directory'

/**
 * Everything the key picker shows, in one answer that never fails for a listing problem (see KmsKeyListing):
 * listed keys merged with the typed ones on success; on failure the default key and the typed keys, plus the
 * error, so that "you lack kms:cmk:list" and "type a key id" appear together (domain rule 5).
 *
 * `openDirectory` may itself fail (no secret in the keychain, for instance); that is reported the same way.
 * Typical use: `listKeysForPicker(account, async () => createKmsDirectory(account, await resolveCredentials(...)))`.
 */
export async function listKeysForPicker(
  account: Account,
  openDirectory: () => KmsDirectory | Promise<KmsDirectory>,
): Promise<KmsKeyListing> {
  const preset = PROVIDER_PRESETS[account.provider]
  const base = {
    providerLists: preset.kmsDirectory !== 'manual',
    ...(preset.kmsConsoleTemplate
      ? { consoleUrl: fillRegion(preset.kmsConsoleTemplate, account.region) }
      : {}),
  }
  try {
    const listed = await (await openDirectory()).listKeys()
    return { ...base, keys: mergeKeys(listed, manualKeys(account)) }
  } catch (error) {
    return {
      ...base,
      keys: await createManualKmsDirectory(account).listKeys(),
      listingError: toIpcError(error),
    }
  }
}
