import type { Account } from '../../../preload/contract/models'
import { fillRegion, type ProviderPreset } from '../accounts/providers'

/**
 * Where the account's KMS lives. OBS and KMS share a naming scheme on every Huawei-operated cloud
 * (obs.{region}.myhuaweicloud.com / kms.{region}.myhuaweicloud.com, the .eu and OTC sites alike), so an OBS
 * endpoint the user typed for another site is followed rather than the preset's template; anything else
 * (a custom domain, an IP) falls back to the template. KMS is HTTPS-only, whatever the OBS scheme.
 */
export function huaweiKmsEndpoint(
  account: Pick<Account, 'endpoint' | 'region'>,
  preset: ProviderPreset,
): string {
  try {
    const url = new URL(account.endpoint)
    if (url.hostname.startsWith('obs.')) return `https://kms.${url.host.slice('obs.'.length)}`
  } catch {
    // Not a URL: the template below is the best guess.
  }
  return fillRegion(preset.kmsEndpointTemplate ?? 'https://kms.{region}.myhuaweicloud.com', account.region)
}
