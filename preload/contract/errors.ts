import { z } from 'zod'

/**
 * Every error that crosses IPC carries one of these codes. Codes are stable: the renderer words each one from its
 * message catalogue in the user's language (renderer/src/i18n), with the error's `params` (a key id, a bucket, a
 * permission) filled in. `message` is main's English sentence: the CLI prints it, and the renderer falls back to it
 * where the catalogue has no words for the details.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'ACCOUNT_EXISTS',
  'BAD_CREDENTIALS',
  'CLOCK_SKEW',
  'ENDPOINT_UNREACHABLE',
  'TLS_FAILURE',
  'NO_SUCH_BUCKET',
  'ACCESS_DENIED',
  'KMS_KEY_NOT_FOUND',
  'KMS_KEY_DISABLED',
  'KMS_KEY_PENDING_DELETION',
  'KMS_PERMISSION_MISSING',
  'HTTPS_REQUIRED',
  'ENTITY_TOO_LARGE',
  'ENCRYPTED_NOT_SHAREABLE',
  'UNSAFE_PATH',
  'SOURCE_CHANGED',
  'SOURCE_GONE',
  'SOURCE_UNREADABLE',
  'SSE_C_KEY_REQUIRED',
  'ENCRYPTION_UNKNOWN',
  /** The server's answer to an upload does not confirm the encryption that was asked for (issue #12). */
  'ENCRYPTION_NOT_APPLIED',
  /** SSE-KMS without a key id on a server that has no default key (issue #12). */
  'KMS_KEY_REQUIRED',
  'DELETIONS_HELD',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
  'CREDENTIALS_MISSING',
  'NETWORK',
  'HOST_NOT_FOUND',
  'SERVER_ERROR',
  'REQUEST_REFUSED',
  'QUEUE_IN_USE',
  /** The data folder's queue was written by a newer version of OBS Sync (its format is unknown to this one). */
  'DATA_TOO_NEW',
  // storage classes (#20)
  'OBJECT_ARCHIVED',
  'STORAGE_CLASS_NOT_APPLIED',
  'NOT_ARCHIVED',
  // upload queue (#15): a pause, cancel or shutdown stopped the upload
  'CANCELLED',
  /** The server or provider cannot do this (e.g. remove a bucket's default encryption on Ceph RGW). */
  'NOT_SUPPORTED',
  'BUCKET_EXISTS',
  // faults (#14)
  /** A watched folder is deleted, renamed or unmounted: its pair waits for it, nothing is deleted remotely. */
  'FOLDER_MISSING',
  /** The disk holding the data folder (queue, state) or a download's target is full. */
  'DISK_FULL',
  // downloads and drops (#19)
  /** A download's target file exists (or appeared while downloading) and the rule was not to replace it. */
  'FILE_EXISTS',
  'INTERNAL',
] as const

export const errorCodeSchema = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof errorCodeSchema>

/** Names and numbers a message is worded around (`{ key: 'testkey-1' }`); never a secret. */
export const errorParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]))
export type ErrorParams = z.infer<typeof errorParamsSchema>

export const ipcErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  params: errorParamsSchema.optional(),
})
export type IpcError = z.infer<typeof ipcErrorSchema>
