import type { Account } from '../../../preload/contract/models'
import { assertTransportAllows } from '../encryption/resolve-encryption'
import { sseCustomerParams, sseWriteParams } from '../encryption/sse-headers'
import { AppError } from '../errors'
import type { S3Connection } from '../storage/s3-client'
import { uploadFile } from '../storage/upload-file'
import { abortMultipart } from '../storage/upload-multipart'
import { verifyStorageClass } from '../storage/verify-storage-class'
import type { JobStore, StoredJob } from './job-store'

export interface JobContext {
  store: JobStore
  client: (accountId: string) => Promise<{ account: Account } & S3Connection>
  customerKey: (accountId: string, name: string) => Promise<string>
  throttle?: (bytes: number, signal?: AbortSignal) => Promise<void>
  onProgress: (bytesDone: number, size: number) => void
  /** Multipart: the bytes of the parts the server holds, to keep with the job (what a paused job shows). */
  onStored?: (bytesStored: number) => void
  signal: AbortSignal
  multipartThreshold?: number
  partSize?: number
  /** Parts of a multipart upload in flight at once (the requests its slot holds). */
  partConcurrency?: number
}

export interface JobSuccess {
  sha256: string
  etag?: string
  size: number
  mtimeMs: number
  skipped: boolean
}

/**
 * Runs one upload job to its end: builds the encryption parameters (refusing SSE-KMS/SSE-C over HTTP), resumes
 * a stored multipart upload, persists each multipart step, and reports success. Failures are thrown as they
 * are; the queue decides what each means.
 */
export async function runJob(job: StoredJob, ctx: JobContext): Promise<JobSuccess> {
  const { account, s3, putObject } = await ctx.client(job.accountId)
  const choice = job.encryption.choice
  assertTransportAllows(choice, account.endpoint)
  const customerKey =
    choice.mode === 'sse-c' ? await ctx.customerKey(job.accountId, choice.customerKeyName) : undefined
  const result = await uploadFile(
    { s3, putObject },
    {
      bucket: job.bucket,
      key: job.key,
      filePath: job.sourcePath,
      expectedSize: job.size,
      endpoint: account.endpoint,
      sse: sseWriteParams(choice, { customerKey }),
      storageClass: job.storageClass,
      signal: ctx.signal,
      throttle: ctx.throttle,
      multipartThreshold: ctx.multipartThreshold,
      partSize: ctx.partSize,
      partConcurrency: ctx.partConcurrency,
      multipart:
        job.uploadId && job.partSize ? { uploadId: job.uploadId, partSize: job.partSize } : undefined,
      // A retried job may have reached the server before it was interrupted: do not send it twice.
      skipIfRemoteMatches: job.attempts > 1,
      onMultipartCreated: (state) => ctx.store.saveMultipart(job.id, state),
      onStored: ctx.onStored,
      onProgress: ctx.onProgress,
    },
  ).catch((error) => {
    throw storageClassRefusal(error, job.storageClass)
  })
  if (job.storageClass) {
    // Verified on the answer like the encryption: a HEAD, as no PUT answer names the class.
    const sseC = customerKey ? sseCustomerParams(customerKey) : undefined
    await verifyStorageClass(
      s3,
      account.provider,
      { bucket: job.bucket, key: job.key, sseC, signal: ctx.signal },
      job.storageClass,
      { endpoint: account.endpoint },
    )
  }
  return {
    sha256: result.sha256,
    etag: result.etag,
    size: result.size,
    mtimeMs: result.mtimeMs,
    skipped: result.skipped ?? false,
  }
}

/**
 * A server without the class asked for answers 400 InvalidStorageClass (S3, OBS) or InvalidArgument (Ceph RGW,
 * with no message): say which class was refused rather than a bare code.
 */
function storageClassRefusal(error: unknown, storageClass: string | undefined): unknown {
  if (!storageClass || !(error instanceof AppError) || error.code !== 'REQUEST_REFUSED') return error
  if (!/InvalidStorageClass|InvalidArgument/.test(error.message)) return error
  return new AppError(
    'REQUEST_REFUSED',
    `The server refused the storage class "${storageClass}" (${error.message.replace(/\.$/, '')}). Choose a class this bucket has, or the bucket default.`,
    { cause: error, params: { cause: 'storageClassRefused', storageClass } },
  )
}

/** Drops a job's unfinished multipart upload on the server (cancelled job, vanished or changed source). */
export async function discardMultipart(
  job: StoredJob,
  ctx: Pick<JobContext, 'client' | 'store'>,
): Promise<void> {
  const current = ctx.store.get(job.id)
  if (!current?.uploadId) return
  try {
    const { s3 } = await ctx.client(job.accountId)
    await abortMultipart(s3, job.bucket, job.key, current.uploadId)
  } catch (error) {
    // Leftover parts cost space, not data; a lifecycle rule cleans them. Do not fail the user's action on it.
    if (!(error instanceof AppError)) throw error
  } finally {
    ctx.store.saveMultipart(job.id, undefined)
    // Its parts are gone: nothing of it is stored any more.
    ctx.store.saveProgress(job.id, 0)
  }
}
