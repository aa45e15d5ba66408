import type { ErrorCode } from '../../preload/contract/errors'
import { IpcCallError } from './ipc/client'

/**
 * What a view shows for a failure: a sentence, and where one helps, what to do about it. Never a stack trace and
 * never a bare code: main's messages are already sentences, so they are shown as they are; the code only picks
 * the hint (and stands in when a message is missing).
 */
export interface UiError {
  code?: ErrorCode
  message: string
  hint?: string
}

/** A sentence per code, for when main sent no usable message. */
const SENTENCES: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: 'Some of the values given are not valid.',
  UNKNOWN_CHANNEL: 'This version of OBS Sync cannot do that yet.',
  FORBIDDEN_SENDER: 'OBS Sync refused the request because it did not come from its own window.',
  NOT_FOUND: 'It was not found; it may have been deleted meanwhile.',
  ACCOUNT_NOT_FOUND: 'That account no longer exists.',
  ACCOUNT_EXISTS: 'An account with that name already exists.',
  BAD_CREDENTIALS: 'The storage service refused the access key or secret key.',
  CLOCK_SKEW: "This computer's clock is too far off for the storage service to accept requests.",
  ENDPOINT_UNREACHABLE: 'The endpoint could not be reached.',
  TLS_FAILURE: 'The secure connection to the endpoint failed (its certificate was not trusted).',
  NO_SUCH_BUCKET: 'That bucket does not exist.',
  ACCESS_DENIED: 'Access was denied by the storage service.',
  KMS_KEY_NOT_FOUND: 'The KMS key was not found.',
  KMS_KEY_DISABLED: 'The KMS key is disabled.',
  KMS_KEY_PENDING_DELETION: 'The KMS key is scheduled for deletion.',
  KMS_PERMISSION_MISSING: 'This account may not list KMS keys.',
  HTTPS_REQUIRED: 'SSE-KMS and SSE-C need an HTTPS endpoint.',
  ENTITY_TOO_LARGE: 'The file is larger than the storage service accepts.',
  ENCRYPTED_NOT_SHAREABLE: 'Encrypted objects cannot be shared with a link.',
  UNSAFE_PATH: 'The target path is not safe to write to.',
  SOURCE_CHANGED: 'The file changed while it was being uploaded; it will be uploaded again.',
  SOURCE_GONE: 'The local file no longer exists.',
  SOURCE_UNREADABLE: 'The local file cannot be read.',
  SSE_C_KEY_REQUIRED: 'This object is encrypted with a customer key (SSE-C); that key is needed to read it.',
  ENCRYPTION_UNKNOWN: 'The encryption could not be determined.',
  ENCRYPTION_NOT_APPLIED: 'The storage service did not confirm the encryption that was asked for.',
  KMS_KEY_REQUIRED: 'This server has no default KMS key: choose a key for SSE-KMS.',
  DELETIONS_HELD: 'Mirror deletions are held back by the safety cap until you confirm them.',
  KEYCHAIN_UNAVAILABLE: 'The system keychain is not available.',
  KEYCHAIN_LOCKED: 'The system keychain is locked.',
  CREDENTIALS_MISSING: 'The secret key of this account is not in the keychain.',
  NETWORK: 'The network connection failed.',
  HOST_NOT_FOUND: "The endpoint's host name does not resolve.",
  SERVER_ERROR: 'The storage service had an internal error.',
  REQUEST_REFUSED: 'The storage service refused the request.',
  QUEUE_IN_USE: 'Another OBS Sync is already running uploads from this data folder.',
  OBJECT_ARCHIVED: 'This object is archived (Cold storage): restore it first.',
  STORAGE_CLASS_NOT_APPLIED: 'The server did not store the object in the storage class asked for.',
  NOT_ARCHIVED: 'This object is not archived; it can be downloaded as it is.',
  CANCELLED: 'Stopped by the user.',
  NOT_SUPPORTED: 'This is not supported by this server.',
  BUCKET_EXISTS: 'A bucket with that name already exists.',
  FOLDER_MISSING: 'The watched folder is missing; nothing is deleted remotely until it is back.',
  DISK_FULL: 'The disk is full.',
  FILE_EXISTS: 'A file of that name is already there; it was kept.',
  INTERNAL: 'Something went wrong inside OBS Sync.',
}

/** What to do next, for the codes where the user can act. */
const HINTS: Partial<Record<ErrorCode, string>> = {
  UNKNOWN_CHANNEL: 'Update OBS Sync, or try again later.',
  BAD_CREDENTIALS: "Check the account's access key and secret key.",
  CLOCK_SKEW: "Correct this computer's date and time, then try again.",
  ENDPOINT_UNREACHABLE: "Check the endpoint address and this computer's network connection.",
  TLS_FAILURE: "If the server uses a private certificate authority, set the account's CA certificate file.",
  KMS_PERMISSION_MISSING: 'You can still type a key id by hand below.',
  OBJECT_ARCHIVED: 'Use "Restore" in the object details to make a readable copy for 1 to 30 days.',
  HTTPS_REQUIRED: "Change the account's endpoint to https://.",
  KEYCHAIN_LOCKED: 'Unlock the keychain, then try again.',
  CREDENTIALS_MISSING: 'Open the account settings and enter the secret key again.',
  NETWORK: 'Check the connection; OBS Sync retries queued uploads by itself.',
  HOST_NOT_FOUND: "Check the account's endpoint address (and a VPN it may need).",
  FOLDER_MISSING: 'Put the folder back (or mount its disk again): syncing resumes by itself.',
  DISK_FULL: 'Free some space on that disk: OBS Sync carries on by itself.',
  QUEUE_IN_USE: 'Quit the other one (the desktop app or an obs-sync command), then try again.',
  INTERNAL: 'Try again. If it keeps happening, the log has the details.',
}

export function errorSentence(code: ErrorCode): string {
  return SENTENCES[code]
}

/** Turns anything a call threw into what a view may show. */
export function toUiError(error: unknown): UiError {
  if (error instanceof IpcCallError) {
    const message = usable(error.message, error.code) ? error.message : SENTENCES[error.code]
    return { code: error.code, message, hint: HINTS[error.code] }
  }
  return fromPlain(error)
}

/** The same for an `{ code, message }` that arrived as data (a failed job, a listing error, a folder status). */
export function describeIpcError(error: { code: ErrorCode; message: string }): UiError {
  const message = usable(error.message, error.code) ? error.message : SENTENCES[error.code]
  return { code: error.code, message, hint: HINTS[error.code] }
}

function usable(message: string, code: string): boolean {
  const trimmed = message.trim()
  return trimmed !== '' && trimmed !== code
}

function fromPlain(error: unknown): UiError {
  // A bug in the window itself: keep the details for the developer console, show the user a sentence.
  console.error(error)
  return {
    code: 'INTERNAL',
    message: 'Something unexpected went wrong in this window.',
    hint: 'Try again. If it keeps happening, reload the window.',
  }
}

/** One line for places that have room for a single string (tooltips, status bar). */
export function errorLine(error: UiError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message
}
