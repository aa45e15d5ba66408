import type { EncryptionChoice } from '../../../preload/contract/models'
import type { NewJob, StoredJob } from './job-rows'

type Upload = Pick<NewJob, 'sourcePath' | 'encryption' | 'storageClass'>

/** The parts of an encryption choice that decide what the server stores (not where the choice came from). */
function storedAs(choice: EncryptionChoice): string {
  if (choice.mode === 'sse-kms') return `sse-kms:${choice.keyId ?? ''}`
  if (choice.mode === 'sse-c') return `sse-c:${choice.customerKeyName}`
  return choice.mode
}

/**
 * Whether two uploads to one target ask the server for the same thing: the same local file, encryption (mode,
 * KMS key, customer key) and storage class. Another choice is another upload: what the user chose last must
 * be what is stored, so an earlier job that asked otherwise never stands in for it.
 */
export function sameUpload(a: Upload, b: Upload): boolean {
  return (
    a.sourcePath === b.sourcePath &&
    storedAs(a.encryption.choice) === storedAs(b.encryption.choice) &&
    (a.storageClass ?? null) === (b.storageClass ?? null)
  )
}

/** Whether a finished job is the upload of this very file version (same path, size, mtime) as asked now. */
export function sameFileVersion(done: StoredJob, job: NewJob): boolean {
  return sameUpload(done, job) && done.size === job.size && done.mtimeMs === job.mtimeMs
}
