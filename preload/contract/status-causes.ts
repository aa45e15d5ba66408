import { z } from 'zod'
import { type ErrorCode, ipcErrorSchema } from './errors'

/**
 * One reason work is stuck or needs the user, as the status summary names it: the tray, the status bar and
 * `obs-sync status` say the cause, not only a count ("Disk full: ...", "Folder missing: ...").
 */
export const statusCauseSchema = ipcErrorSchema.extend({
  /** Uploads it concerns, when counted (failed or held for this reason). */
  jobs: z.number().int().optional(),
  /** The watched folder it concerns (missing folder, its sync state not saved). */
  folder: z.string().optional(),
})
export type StatusCause = z.infer<typeof statusCauseSchema>

/** Short names of the causes, for places with room for a few words (tray menu, status bar). */
const TITLES: Partial<Record<ErrorCode, string>> = {
  DISK_FULL: 'Disk full',
  NETWORK: 'Offline',
  ENDPOINT_UNREACHABLE: 'Offline',
  HOST_NOT_FOUND: 'Server not found',
  SERVER_ERROR: 'Server errors',
  KEYCHAIN_UNAVAILABLE: 'Keychain unavailable',
  KEYCHAIN_LOCKED: 'Keychain locked',
  BAD_CREDENTIALS: 'Bad credentials',
  CREDENTIALS_MISSING: 'Credentials missing',
  TLS_FAILURE: 'Certificate not trusted',
  CLOCK_SKEW: 'Clock is off',
  FOLDER_MISSING: 'Folder missing',
  DELETIONS_HELD: 'Deletions held',
  KMS_KEY_NOT_FOUND: 'KMS key problem',
  KMS_KEY_DISABLED: 'KMS key problem',
  KMS_KEY_PENDING_DELETION: 'KMS key problem',
  KMS_PERMISSION_MISSING: 'KMS key problem',
  KMS_KEY_REQUIRED: 'KMS key problem',
  ENCRYPTION_NOT_APPLIED: 'Encryption not applied',
  HTTPS_REQUIRED: 'Encryption needs HTTPS',
  NO_SUCH_BUCKET: 'Bucket missing',
  ACCESS_DENIED: 'Access denied',
}

export function causeTitle(cause: Pick<StatusCause, 'code'>): string {
  return TITLES[cause.code] ?? 'Upload problem'
}

/** "Disk full: The disk is full: ..." — the cause's name and its full sentence, on one line. */
export function causeLine(cause: StatusCause): string {
  const count = cause.jobs ? ` (${cause.jobs === 1 ? '1 upload' : `${cause.jobs} uploads`})` : ''
  return `${causeTitle(cause)}${count}: ${cause.message}`
}
