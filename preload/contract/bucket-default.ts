import type { BucketEncryption, EncryptionChoice } from './models'

/**
 * The encryption an upload gets from its bucket's default: the bucket's SSE-KMS (with its key, if it names one) or
 * SSE-OBS; none when the bucket has no default or the server cannot tell. The upload queue (for uploads without a
 * choice) and the upload dialog (its pre-selected choice) both ask this one function.
 */
export function bucketDefaultChoice(state: BucketEncryption | undefined): EncryptionChoice {
  if (state?.state !== 'set') return { mode: 'none' }
  const e = state.encryption
  if (e.mode === 'sse-kms') return e.kmsKeyId ? { mode: 'sse-kms', keyId: e.kmsKeyId } : { mode: 'sse-kms' }
  if (e.mode === 'sse-obs') return { mode: 'sse-obs' }
  return { mode: 'none' }
}
