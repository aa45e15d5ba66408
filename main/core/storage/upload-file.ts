import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { S3Client } from '@aws-sdk/client-s3'
import type { SseWriteParams } from '../encryption/sse-headers'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { directPutFor } from './direct-put'
import { digestBuffer, digestFile, type FileDigests } from './hashing'
import { SHA256_METADATA_KEY } from './object-details'
import { assertUnchanged, readSmallFile, snapshotSource, sourceError } from './source-file'
import { type MultipartState, uploadMultipart } from './upload-multipart'

export interface UploadRequest {
  bucket: string
  key: string
  filePath: string
  sse: SseWriteParams
  endpoint?: string
  contentType?: string
  metadata?: Record<string, string>
  /** The size the caller last saw (the queue's job): small files are then looked at synchronously. */
  expectedSize?: number
  /** Files of at least this size go multipart (default 16 MiB). */
  multipartThreshold?: number
  partSize?: number
  partConcurrency?: number
  signal?: AbortSignal
  onProgress?: (bytesSent: number, total: number) => void
  /** Multipart bookkeeping for a durable queue: resume from it, and hear of each step to persist it. */
  multipart?: MultipartState
  onMultipartCreated?: (state: MultipartState) => void | Promise<void>
  onPartDone?: (part: { PartNumber: number; ETag: string }) => void | Promise<void>
  /** Waits until `bytes` may be sent (the queue's bandwidth limit). */
  throttle?: (bytes: number, signal?: AbortSignal) => Promise<void>
  /**
   * When the object already holds exactly this content (our SHA-256 in its metadata, same size), skip the
   * upload: a job interrupted after its PUT but before it was recorded as done must not upload twice.
   */
  skipIfRemoteMatches?: boolean
}

export interface UploadResult {
  etag?: string
  sha256: string
  size: number
  multipart: boolean
  /** True when the object already held this content and nothing was sent. */
  skipped?: boolean
  /** The modification time of the version that was uploaded (checked unchanged before and after). */
  mtimeMs: number
}

const MiB = 1024 * 1024
export const DEFAULT_MULTIPART_THRESHOLD = 16 * MiB
/** Files below this size are read into memory once instead of streamed. */
const SMALL_FILE_BYTES = 4 * MiB

/**
 * Uploads one local file with its encryption: a single PUT with Content-MD5 below the threshold, multipart
 * (Content-MD5 per part, bounded memory) above it. The content's SHA-256 goes into the object metadata: the
 * ETag of an encrypted object is not the MD5 of its content, so it is never used to detect changes. A file
 * that changes while it is read fails with SOURCE_CHANGED instead of leaving a half-new object.
 */
export async function uploadFile(s3: S3Client, request: UploadRequest): Promise<UploadResult> {
  const before = await snapshotSource(request.filePath, request.expectedSize)
  const threshold = request.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD
  // Small files are read once into memory: hashed and sent from the same bytes, so what is uploaded is exactly
  // what was hashed, and the many-small-files case costs one read instead of two.
  const small = before.size < Math.min(SMALL_FILE_BYTES, threshold) && !request.multipart
  let digests: FileDigests
  let content: Buffer | undefined
  try {
    if (small) {
      content = await readSmallFile(request.filePath, before.size, request.signal)
      digests = digestBuffer(content)
    } else {
      digests = await digestFile(request.filePath, request.signal)
    }
  } catch (error) {
    throw request.signal?.aborted ? error : sourceError(request.filePath, error)
  }
  await assertUnchanged(request.filePath, before)
  if (digests.size !== before.size) {
    throw new AppError('SOURCE_CHANGED', `"${request.filePath}" changed while it was being read.`)
  }
  if (request.skipIfRemoteMatches) {
    const remote = await remoteContent(s3, request)
    if (remote?.sha256 === digests.sha256Hex && remote.size === digests.size) {
      request.onProgress?.(digests.size, digests.size)
      return {
        etag: remote.etag,
        sha256: digests.sha256Hex,
        size: digests.size,
        multipart: false,
        skipped: true,
        mtimeMs: before.mtimeMs,
      }
    }
  }
  const metadata = { ...request.metadata, [SHA256_METADATA_KEY]: digests.sha256Hex }
  const context = {
    endpoint: request.endpoint,
    bucket: request.bucket,
    key: request.key,
    kmsKeyId: request.sse.SSEKMSKeyId,
  }
  if (digests.size >= threshold || request.multipart) {
    const etag = await uploadMultipart(
      s3,
      { ...request, metadata, size: digests.size, sha256Hex: digests.sha256Hex },
      context,
    )
    await assertUnchanged(request.filePath, before)
    return {
      etag: etag || (await headEtag(s3, request)),
      sha256: digests.sha256Hex,
      size: digests.size,
      multipart: true,
      mtimeMs: before.mtimeMs,
    }
  }

  if (content) {
    const result = await putBuffer(s3, request, content, digests, metadata, before.mtimeMs, context)
    // The bytes sent were a consistent snapshot, but if the file moved on meanwhile the queue must send it again.
    await assertUnchanged(request.filePath, before)
    return result
  }

  let sent = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const pass = () => {
        sent += chunk.length
        request.onProgress?.(sent, digests.size)
        done(null, chunk)
      }
      if (request.throttle) request.throttle(chunk.length, request.signal).then(pass, done)
      else pass()
    },
  })
  const reading = pipeline(createReadStream(request.filePath, { signal: request.signal }), counter).catch(
    (error) => {
      throw sourceError(request.filePath, error)
    },
  )
  try {
    const answer = await s3.send(
      new (await s3Sdk()).PutObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        Body: digests.size === 0 ? '' : counter,
        ContentLength: digests.size,
        ContentMD5: digests.md5Base64,
        ContentType: request.contentType,
        Metadata: metadata,
        ...request.sse,
      }),
      { abortSignal: request.signal },
    )
    await reading
    await assertUnchanged(request.filePath, before)
    return {
      etag: answer.ETag,
      sha256: digests.sha256Hex,
      size: digests.size,
      multipart: false,
      mtimeMs: before.mtimeMs,
    }
  } catch (error) {
    counter.destroy()
    await reading.catch(() => {})
    if ((error as { name?: string }).name === 'BadDigest') {
      throw new AppError('SOURCE_CHANGED', `"${request.filePath}" changed while it was being uploaded.`, {
        cause: error,
      })
    }
    throw classifyS3Error(error, context)
  }
}

/** A single PUT of bytes already in memory (small files): direct where it can be (see direct-put.ts). */
async function putBuffer(
  s3: S3Client,
  request: UploadRequest,
  content: Buffer,
  digests: FileDigests,
  metadata: Record<string, string>,
  mtimeMs: number,
  context: ErrorContext,
): Promise<UploadResult> {
  try {
    await request.throttle?.(content.length, request.signal)
    const direct = directPutFor(s3, request)
    const etag = direct
      ? (
          await direct({
            bucket: request.bucket,
            key: request.key,
            body: content,
            md5Base64: digests.md5Base64,
            sha256Hex: digests.sha256Hex,
            contentType: request.contentType,
            metadata,
            sse: request.sse,
            signal: request.signal,
          })
        ).etag
      : (
          await s3.send(
            new (
              await s3Sdk()
            ).PutObjectCommand({
              Bucket: request.bucket,
              Key: request.key,
              Body: content,
              ContentLength: content.length,
              ContentMD5: digests.md5Base64,
              ContentType: request.contentType,
              Metadata: metadata,
              ...request.sse,
            }),
            { abortSignal: request.signal },
          )
        ).ETag
    request.onProgress?.(content.length, content.length)
    return { etag, sha256: digests.sha256Hex, size: digests.size, multipart: false, mtimeMs }
  } catch (error) {
    throw classifyS3Error(error, context)
  }
}

/** What the bucket holds at the key now, if anything: our SHA-256 from its metadata, size and ETag. */
async function remoteContent(s3: S3Client, request: UploadRequest) {
  const { SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 } = request.sse
  try {
    const head = await s3.send(
      new (await s3Sdk()).HeadObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        SSECustomerAlgorithm,
        SSECustomerKey,
        SSECustomerKeyMD5,
      }),
      { abortSignal: request.signal },
    )
    return { sha256: head.Metadata?.[SHA256_METADATA_KEY], size: head.ContentLength, etag: head.ETag }
  } catch {
    // Absent, or unreadable with these parameters: either way, upload.
    return undefined
  }
}

/** RGW answers CompleteMultipartUpload with an empty ETag; a HEAD gives the real one. */
async function headEtag(s3: S3Client, request: UploadRequest): Promise<string | undefined> {
  const { SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 } = request.sse
  const head = await s3.send(
    new (await s3Sdk()).HeadObjectCommand({
      Bucket: request.bucket,
      Key: request.key,
      SSECustomerAlgorithm,
      SSECustomerKey,
      SSECustomerKeyMD5,
    }),
  )
  return head.ETag
}
