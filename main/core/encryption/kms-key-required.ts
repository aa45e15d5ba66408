import type { Account, EncryptionChoice, Provider } from '../../../preload/contract/models'
import { PROVIDER_PRESETS } from '../accounts/providers'
import { AppError } from '../errors'

/**
 * Whether SSE-KMS needs a key id on this provider: the one decision for every shell (the renderer reads it from
 * the presets, `sseKmsNeedsKeyId`). SSE-KMS without a key id means "the provider's default key", and only
 * providers whose preset names a default key alias have one.
 */
export function sseKmsNeedsKeyId(provider: Provider): boolean {
  return !PROVIDER_PRESETS[provider].defaultKmsKeyAlias
}

/**
 * SSE-KMS without a key id means "the provider's default key". OBS (obs/default) and AWS (aws/s3) have one; Ceph
 * RGW, MinIO and other self-hosted servers do not, and answer every such upload with a bare 400 InvalidArgument.
 * So the choice is refused before anything is queued, with the keys this account knows of, instead of letting a
 * batch fail file by file.
 */
export function assertKmsKeyChosen(
  choice: EncryptionChoice | undefined,
  account: Pick<Account, 'provider' | 'manualKmsKeyIds'>,
): void {
  if (choice?.mode !== 'sse-kms' || choice.keyId || !sseKmsNeedsKeyId(account.provider)) return
  const preset = PROVIDER_PRESETS[account.provider]
  const known = account.manualKmsKeyIds ?? []
  const pick = known.length
    ? `pick one of this account's keys (${known.map((k) => `"${k}"`).join(', ')})`
    : 'add the id of a key this server\u2019s KMS holds and pick it'
  throw new AppError(
    'KMS_KEY_REQUIRED',
    `${preset.label} has no default KMS key, so SSE-KMS needs a key id: ${pick} in the key picker, or pass --kms-key <id>. Nothing was queued.`,
    { params: { provider: preset.label } },
  )
}
