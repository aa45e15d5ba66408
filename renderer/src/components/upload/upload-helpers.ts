import type {
  BucketEncryption,
  EncryptionChoice,
  KmsKey,
  ProviderPresetInfo,
} from '../../../../preload/contract/models'
import { t } from '../../i18n'
import { encryptionLabel, shortKeyId, unknownDefaultReason } from '../browser/encryption-labels'

/** Tells where the pre-selected encryption comes from. */
export function bucketDefaultText(
  state: BucketEncryption | undefined,
  aliasOf: (keyId: string) => string | undefined = () => undefined,
  provider?: string,
): string {
  if (!state) return t('uploadDefault.notKnown')
  if (state.state === 'none') return t('uploadDefault.none')
  if (state.state === 'unknown') return t('uploadDefault.unknown', { reason: unknownDefaultReason(state) })
  const e = state.encryption
  const keyName =
    e.kmsKeyAlias ??
    (e.kmsKeyId ? (aliasOf(e.kmsKeyId) ?? shortKeyId(e.kmsKeyId)) : t('encryption.theDefaultKey'))
  const what =
    e.mode === 'sse-kms' ? t('uploadDefault.kmsWith', { key: keyName }) : encryptionLabel(e.mode, provider)
  return t('uploadDefault.preselected', { what })
}

/**
 * Why an SSE-KMS choice without a key id cannot be submitted: core says the provider has no default key
 * (`sseKmsNeedsKeyId` of its preset: RGW, MinIO), so every upload would fail. Main refuses it too
 * (kms-key-required.ts); saying it here names the keys to pick from (the listing, when known) before anything is
 * sent. Undefined while the preset is not known yet.
 */
export function missingKmsKeyProblem(
  choice: EncryptionChoice | undefined,
  preset: Pick<ProviderPresetInfo, 'sseKmsNeedsKeyId'> | undefined,
  keys: readonly KmsKey[] | undefined,
): string | undefined {
  if (choice?.mode !== 'sse-kms' || choice.keyId || !preset?.sseKmsNeedsKeyId) return undefined
  const known = (keys ?? []).map((key) => key.alias ?? key.id)
  return known.length ? t('uploadDefault.pickKey', { keys: known.join(', ') }) : t('uploadDefault.typeKey')
}

/** One path per line; blank lines and duplicates dropped, surrounding quotes (from "copy as path") removed. */
export function parsePaths(text: string): string[] {
  const paths = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .filter(Boolean)
  return [...new Set(paths)]
}
