import { errorParamsSchema, type IpcError } from '../../../preload/contract/errors'
import type { ResolvedEncryption } from '../../../preload/contract/models'
import type { Job, JobState } from '../../../preload/contract/queue-models'

/** A job as stored, with what the queue needs beyond what the UI sees. */
export interface StoredJob extends Job {
  mtimeMs: number
  sha256?: string
  uploadId?: string
  partSize?: number
  changedRetries: number
  etag?: string
}

export interface NewJob {
  accountId: string
  bucket: string
  key: string
  sourcePath: string
  size: number
  mtimeMs: number
  encryption: ResolvedEncryption
  /** S3 id of the storage class asked for; omitted = the bucket's default class. */
  storageClass?: string
  origin: 'manual' | 'sync'
  syncPairId?: string
}

/** A row of the jobs table as SQLite returns it (column names stay inside the store). */
export interface Row {
  id: number
  account_id: string
  bucket: string
  object_key: string
  source_path: string
  size: number
  mtime_ms: number
  sha256: string | null
  encryption: string
  storage_class: string | null
  state: JobState
  attempts: number
  changed_retries: number
  error_code: string | null
  error_message: string | null
  /** The error's params as JSON (schema 5; NULL in older rows and for errors without any). */
  error_params: string | null
  bytes_done: number
  upload_id: string | null
  part_size: number | null
  retry_at: number | null
  origin: 'manual' | 'sync'
  sync_pair_id: string | null
  etag: string | null
  created_at: string
  updated_at: string
}

export function toJob(row: Row): StoredJob {
  return {
    id: row.id,
    accountId: row.account_id,
    bucket: row.bucket,
    key: row.object_key,
    sourcePath: row.source_path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    sha256: row.sha256 ?? undefined,
    encryption: JSON.parse(row.encryption) as ResolvedEncryption,
    storageClass: row.storage_class ?? undefined,
    state: row.state,
    attempts: row.attempts,
    changedRetries: row.changed_retries,
    bytesDone: row.bytes_done,
    error: row.error_code ? storedError(row.error_code, row.error_message, row.error_params) : undefined,
    retryAt: row.retry_at ? new Date(row.retry_at).toISOString() : undefined,
    uploadId: row.upload_id ?? undefined,
    partSize: row.part_size ?? undefined,
    origin: row.origin,
    syncPairId: row.sync_pair_id ?? undefined,
    etag: row.etag ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** A job as `insertMany` stores it (the column defaults of the jobs table). */
export function newJob(id: number, job: NewJob, at: string): StoredJob {
  return {
    id,
    accountId: job.accountId,
    bucket: job.bucket,
    key: job.key,
    sourcePath: job.sourcePath,
    size: job.size,
    mtimeMs: job.mtimeMs,
    sha256: undefined,
    encryption: job.encryption,
    storageClass: job.storageClass,
    state: 'queued',
    attempts: 0,
    changedRetries: 0,
    bytesDone: 0,
    error: undefined,
    retryAt: undefined,
    uploadId: undefined,
    partSize: undefined,
    origin: job.origin,
    syncPairId: job.syncPairId,
    etag: undefined,
    createdAt: at,
    updatedAt: at,
  }
}

/** An error as the queue DB keeps it: code, English message and its params as JSON (or NULL). */
export function storedError(code: string, message: string | null, params: string | null): IpcError {
  const error = { code, message: message ?? '' } as IpcError
  const parsed = params ? parseParams(params) : undefined
  return parsed ? { ...error, params: parsed } : error
}

/** An error's params as the queue DB keeps them: JSON, or NULL when it has none. */
export function paramsColumn(error: IpcError): string | null {
  return error.params && Object.keys(error.params).length > 0 ? JSON.stringify(error.params) : null
}

/** A stored params column; one that is not what paramsColumn wrote counts as none (the general sentence). */
function parseParams(json: string): IpcError['params'] {
  try {
    const parsed = errorParamsSchema.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
