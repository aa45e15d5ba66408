import type { EncryptionChoice, ObjectEncryption } from '../../../../preload/contract/models'

/** OBS calls service-managed keys SSE-OBS; AWS and the other S3 servers call them SSE-S3. */
export function encryptionLabel(mode: ObjectEncryption['mode'], provider?: string): string {
  switch (mode) {
    case 'sse-kms':
      return 'SSE-KMS'
    case 'sse-obs':
      return provider === 'huawei-obs' || provider === 'otc-obs' || provider === undefined
        ? 'SSE-OBS'
        : 'SSE-S3'
    case 'sse-c':
      return 'SSE-C'
    default:
      return 'None'
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
      return choice.keyId ? `SSE-KMS with key ${shortKeyId(choice.keyId)}` : 'SSE-KMS with the default key'
    case 'sse-c':
      return `SSE-C with customer key ${choice.customerKeyName}`
    case 'sse-obs':
      return encryptionLabel('sse-obs', provider)
    default:
      return 'No encryption'
  }
}
