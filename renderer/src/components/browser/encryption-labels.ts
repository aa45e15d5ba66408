import type {
  BucketEncryption,
  EncryptionChoice,
  ObjectEncryption,
} from '../../../../preload/contract/models'
import { serviceManagedEncryptionName } from '../../../../preload/contract/provider-wording'
import { t } from '../../i18n'

/** The mode as the account's provider names it: SSE-OBS on Huawei Cloud / OTC, SSE-S3 on the others. */
export function encryptionLabel(mode: ObjectEncryption['mode'], provider?: string): string {
  switch (mode) {
    case 'sse-kms':
      return 'SSE-KMS'
    case 'sse-obs':
      return serviceManagedEncryptionName(provider)
    case 'sse-c':
      return 'SSE-C'
    default:
      return t('common.none')
  }
}

/** "cn-north-4:0123:key/5b1e-..." or an ARN -> the key's own id, shortened for a badge. */
export function shortKeyId(id: string): string {
  const tail = id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1) || id
  return tail.length > 14 ? `${tail.slice(0, 8)}…` : tail
}

/** An encryption choice in words ("SSE-KMS with key x", "SSE-C with customer key y"). */
export function describeChoice(choice: EncryptionChoice, provider?: string): string {
  switch (choice.mode) {
    case 'sse-kms':
      return choice.keyId
        ? t('encryption.kmsWithKey', { key: shortKeyId(choice.keyId) })
        : t('encryption.kmsWithDefault')
    case 'sse-c':
      return t('encryption.cWithKey', { key: choice.customerKeyName })
    case 'sse-obs':
      return encryptionLabel('sse-obs', provider)
    default:
      return t('encryption.noEncryption')
  }
}

/**
 * Why a bucket's default encryption is not known, in the window's language when main said why (`why`), else
 * main's own English sentence.
 */
export function unknownDefaultReason(state: Extract<BucketEncryption, { state: 'unknown' }>): string {
  return state.why
    ? t(`bucketDefaultUnknown.${state.why}`, { algorithm: state.algorithm ?? '' })
    : state.reason
}
