import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import { existingEntry, uniqueSiblingName } from '../downloads/name-clash'
import type { SseReadParams } from '../encryption/sse-headers'
import { AppError, isDiskFull } from '../errors'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { SHA256_METADATA_KEY } from './object-details'
import { placeFile } from './place-file'
import { createPartialFile, safeLocalPath } from './safe-path'

export interface DownloadRequest {
  bucket: string
  key: string
  targetDir: string
  /** Path under `targetDir` to save to, `/`-separated (default: the key). Same safety rules as a key. */
  localName?: string
  /**
   * The user chose to replace a file at the target (a name clash answered "overwrite"). Otherwise nothing there
   * is replaced, not even a file that appeared during the download: FILE_EXISTS, and the file is kept.
   */
  overwrite?: boolean
  /**
   * Without `overwrite`: an existing file is kept and the new one saved as `name (n).ext` (the one-object
   * download's rule). The download queue leaves this off and applies its batch's rule again on FILE_EXISTS.
   */
  keepBoth?: boolean
  /** For SSE-C objects: the customer key they were written with. */
  sseC?: SseReadParams
  signal?: AbortSignal
  onProgress?: (bytes: number, total: number) => void
}

export interface DownloadResult {
  path: string
  size: number
  sha256: string
  /** True when the object carried our SHA-256 and the bytes matched it. */
  verified: boolean
}

/** The suffix of files being downloaded: the sync watcher ignores them, so our own writes are never uploaded. */
export const PARTIAL_DOWNLOAD_SUFFIX = '.obs-sync-partial'

/** A name the file system refuses (ENAMETOOLONG: shorter limits than safe-path.ts's exist, e.g. eCryptfs). */
function tooLong(error: unknown, key: string): AppError | undefined {
  if ((error as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') return undefined
  return new AppError(
    'UNSAFE_PATH',
    `The object "${key}" cannot be saved here: its name or path is longer than this file system allows. Nothing was written.`,
    { params: { cause: 'nameTooLong', key } },
  )
}

/**
 * Downloads one object into `targetDir`, at a path derived from its key that cannot leave that folder (links in
 * it are not followed: safe-path.ts). Bytes go to a partial file put in place only when complete and, if the
 * object has our SHA-256, verified; an existing file is kept unless the caller chose to replace it.
 */
export async function downloadObject(
  s3: S3Client,
  request: DownloadRequest,
  context: ErrorContext = {},
): Promise<DownloadResult> {
  const path = safeLocalPath(request.targetDir, request.localName ?? request.key)
  const ctx = { ...context, bucket: request.bucket, key: request.key }
  let answer: GetObjectCommandOutput
  try {
    answer = await s3.send(
      new (await s3Sdk()).GetObjectCommand({ Bucket: request.bucket, Key: request.key, ...request.sseC }),
      {
        abortSignal: request.signal,
      },
    )
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 400 && !request.sseC?.SSECustomerKey) {
      throw new AppError(
        'SSE_C_KEY_REQUIRED',
        `"${request.key}" is encrypted with a customer key (SSE-C); choose its key.`,
        { params: { key: request.key } },
      )
    }
    throw classifyS3Error(error, ctx)
  }
  const body = answer.Body as NodeJS.ReadableStream | undefined
  const total = Number(answer.ContentLength ?? 0)
  const expected = answer.Metadata?.[SHA256_METADATA_KEY]
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      size += chunk.length
      request.onProgress?.(size, total)
      done(null, chunk)
    },
  })
  const partial = await createPartialFile(
    request.targetDir,
    path,
    request.key,
    PARTIAL_DOWNLOAD_SUFFIX,
  ).catch((error) => {
    ;(body as { destroy?: () => void } | undefined)?.destroy?.()
    throw tooLong(error, request.key) ?? error
  })
  const temp = partial.temp
  try {
    const source = body ?? Readable.from([])
    await pipeline(source, meter, partial.handle.createWriteStream(), { signal: request.signal })
  } catch (error) {
    await rm(temp, { force: true })
    if (isDiskFull(error))
      throw new AppError(
        'DISK_FULL',
        `The disk holding ${dirname(path)} is full: "${request.key}" was not saved (the partial file was removed). Free some space, then download it again.`,
        { cause: error, params: { cause: 'downloadDiskFull', folder: dirname(path), key: request.key } },
      )
    throw request.signal?.aborted ? error : classifyS3Error(error, ctx)
  }
  const sha256 = hash.digest('hex')
  if (expected && expected !== sha256) {
    await rm(temp, { force: true })
    throw new AppError(
      'SERVER_ERROR',
      `"${request.key}" arrived damaged (its SHA-256 does not match); try again.`,
      { params: { cause: 'downloadDamaged', key: request.key } },
    )
  }
  let placed = path
  try {
    if (request.keepBoth && !request.overwrite && (await existingEntry(path))) {
      placed = await uniqueSiblingName(path)
    }
    await placeFile(temp, placed, request.overwrite === true)
  } catch (error) {
    await rm(temp, { force: true })
    throw tooLong(error, request.key) ?? error
  }
  return { path: placed, size, sha256, verified: expected === sha256 }
}
