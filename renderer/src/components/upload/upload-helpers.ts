import type { BucketEncryption, EncryptionChoice, KmsKey } from '../../../../preload/contract/models'
import { encryptionLabel, shortKeyId } from '../browser/encryption-labels'

/** Tells where the pre-selected encryption comes from. */
export function bucketDefaultText(
  state: BucketEncryption | undefined,
  aliasOf: (keyId: string) => string | undefined = () => undefined,
): string {
  if (!state) return "The bucket's default encryption is not known yet."
  if (state.state === 'none') return 'This bucket has no default encryption.'
  if (state.state === 'unknown') {
    return `This server cannot tell whether the bucket has default encryption: ${state.reason} If it has, the server applies it when you choose none.`
  }
  const e = state.encryption
  const keyName =
    e.kmsKeyAlias ?? (e.kmsKeyId ? (aliasOf(e.kmsKeyId) ?? shortKeyId(e.kmsKeyId)) : 'the default key')
  const what = e.mode === 'sse-kms' ? `SSE-KMS with ${keyName}` : encryptionLabel(e.mode)
  return `Pre-selected from the bucket's default encryption (${what}).`
}

/**
 * Why an SSE-KMS choice without a key id cannot be submitted: the server has no default key (RGW, MinIO: the
 * listing has no key marked default), so every upload would fail. Main refuses it too (kms-key-required.ts); saying
 * it here names the key to pick before anything is sent. Undefined while the listing is not known yet.
 */
export function missingKmsKeyProblem(
  choice: EncryptionChoice | undefined,
  keys: readonly KmsKey[] | undefined,
): string | undefined {
  if (choice?.mode !== 'sse-kms' || choice.keyId || keys === undefined) return undefined
  if (keys.some((key) => key.isDefault)) return undefined
  const known = keys.map((key) => key.alias ?? key.id)
  return known.length
    ? `This server has no default KMS key: pick one of its keys (${known.join(', ')}) for SSE-KMS.`
    : 'This server has no default KMS key: type the id of one of its keys under “Use another key id” for SSE-KMS.'
}

/** One path per line; blank lines and duplicates dropped, surrounding quotes (from "copy as path") removed. */
export function parsePaths(text: string): string[] {
  const paths = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .filter(Boolean)
  return [...new Set(paths)]
}
