import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3'
import type { SseWriteParams } from '../encryption/sse-headers'
import {
  answeredEncryption,
  assertEncryptionApplied,
  encryptionMismatch,
  requestsEncryption,
  type StoredEncryption,
  storedEncryptionFromHeaders,
} from '../encryption/verify-encryption'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { sendReadingHeaders } from './answer-headers'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { contentTypeFor } from './content-type'
import { digestBuffer, digestFile, type FileDigests, type FileHash } from './hashing'
import { SHA256_METADATA_KEY } from './object-details'
import type { S3Connection } from './s3-client'
import {
  assertUnchanged,
  readSmallFile,
  type SourceSnapshot,
  snapshotSource,
  sourceError,
} from './source-file'
import { type MultipartState, uploadMultipart } from './upload-multipart'

export interface UploadRequest {
  bucket: string
  key: string
  filePath: string
  sse: SseWriteParams
  /** The storage class asked for (S3 id); omitted = the bucket's default class. Verified by the caller. */
  storageClass?: string
  endpoint?: string
  /** Default: from the object's name (content-type.ts). */
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
  /** Multipart only: the bytes of the parts the server holds (upload-multipart.ts). */
  onStored?: (bytesStored: number) => void
  /** Waits until `bytes` may be sent (the queue's bandwidth limit). */
  throttle?: (bytes: number, signal?: AbortSignal) => Promise<void>
  /**
   * When the object already holds exactly this content (our SHA-256 in its metadata, same size) with the encryption
   * asked for, skip the upload: a job interrupted after its PUT but before it was recorded as done must not upload
   * twice.
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

/** What an upload uses of the account's connection: the direct PUT, and the SDK client for multipart and HEAD. */
export type UploadConnection = Pick<S3Connection, 's3' | 'putObject'>

/**
 * Uploads one local file with its encryption and verifies the server's answer. Below the multipart threshold the
 * file is read once into memory, hashed (SHA-256 and MD5) from those bytes and sent from them in one signed PUT
 * (direct-put.ts): what is uploaded is exactly what was hashed, and nothing is read twice. At or above it, multipart
 * (Content-MD5 per part, bounded memory). Our SHA-256 goes into the object metadata: the ETag of an encrypted object
 * is not the MD5 of its content, so it is never used to detect changes. A file that changes while it is read fails
 * with SOURCE_CHANGED instead of leaving a half-new object; an answer that does not confirm the encryption asked for
 * fails with ENCRYPTION_NOT_APPLIED (verify-encryption.ts).
 */
export async function uploadFile(
  connection: UploadConnection,
  request: UploadRequest,
): Promise<UploadResult> {
  const before = await snapshotSource(request.filePath, request.expectedSize)
  const threshold = request.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD
  const multipart = before.size >= threshold || request.multipart !== undefined
  // A single PUT sends the bytes it hashed from memory. Multipart reads the file twice: once here, because our
  // SHA-256 goes into the metadata, which S3 takes only at CreateMultipartUpload (adding it afterwards would be a
  // server-side copy of the whole object), and because it lets an unchanged file skip the upload entirely; then
  // part by part, hashing again to prove the parts are the bytes that SHA-256 describes. rclone reads a file
  // twice the same way for its MD5 metadata.
  let single: { content: Buffer; digests: FileDigests } | undefined
  let digests: FileHash
  try {
    if (multipart) {
      digests = await digestFile(request.filePath, request.signal)
    } else {
      const content = await readSmallFile(request.filePath, before.size, request.signal)
      single = { content, digests: digestBuffer(content) }
      digests = single.digests
    }
  } catch (error) {
    throw request.signal?.aborted ? error : sourceError(request.filePath, error)
  }
  await assertUnchanged(request.filePath, before)
  if (digests.size !== before.size) {
    throw new AppError('SOURCE_CHANGED', `"${request.filePath}" changed while it was being read.`, {
      params: { path: request.filePath },
    })
  }
  if (request.skipIfRemoteMatches) {
    const remote = await remoteContent(connection, request)
    if (
      remote?.sha256 === digests.sha256Hex &&
      remote.size === digests.size &&
      encryptionMismatch(request.sse, remote.encryption) === undefined
    ) {
      request.onProgress?.(digests.size, digests.size)
      return { ...resultOf(digests, before), etag: remote.etag, multipart: false, skipped: true }
    }
  }
  const metadata = { ...request.metadata, [SHA256_METADATA_KEY]: digests.sha256Hex }
  const contentType = request.contentType ?? contentTypeFor(request.key)
  const context: ErrorContext = {
    endpoint: request.endpoint,
    bucket: request.bucket,
    key: request.key,
    kmsKeyId: request.sse.SSEKMSKeyId,
  }
  const answer = single
    ? await putOnce(connection, request, single.content, single.digests, { metadata, contentType }, context)
    : await putInParts(connection, request, digests, { metadata, contentType }, context)
  assertEncryptionApplied(request.sse, answer.encryption, request)
  // The bytes sent were a consistent snapshot, but if the file moved on meanwhile the queue must send it again.
  await assertUnchanged(request.filePath, before)
  return { ...resultOf(digests, before), etag: answer.etag, multipart: !single }
}

function resultOf(digests: FileHash, before: SourceSnapshot) {
  return { sha256: digests.sha256Hex, size: digests.size, mtimeMs: before.mtimeMs }
}

interface Answer {
  etag?: string
  encryption: StoredEncryption
}

/** The single PUT of bytes already in memory, through the connection's one PUT function. */
async function putOnce(
  connection: UploadConnection,
  request: UploadRequest,
  content: Buffer,
  digests: FileDigests,
  object: { metadata: Record<string, string>; contentType: string },
  context: ErrorContext,
): Promise<Answer> {
  try {
    return await connection.putObject({
      bucket: request.bucket,
      key: request.key,
      body: content,
      md5Base64: digests.md5Base64,
      sha256Hex: digests.sha256Hex,
      contentType: object.contentType,
      metadata: object.metadata,
      sse: request.sse,
      storageClass: request.storageClass,
      signal: request.signal,
      throttle: request.throttle,
      onProgress: request.onProgress,
    })
  } catch (error) {
    throw classifyS3Error(error, context)
  }
}

/**
 * Multipart through the SDK's control calls. Some servers (Ceph RGW) answer CompleteMultipartUpload with neither an
 * ETag nor the encryption headers: then a HEAD tells what was stored.
 */
async function putInParts(
  connection: UploadConnection,
  request: UploadRequest,
  digests: FileHash,
  object: { metadata: Record<string, string>; contentType: string },
  context: ErrorContext,
): Promise<Answer> {
  const completed = await uploadMultipart(
    connection.s3,
    { ...request, ...object, size: digests.size, sha256Hex: digests.sha256Hex },
    context,
  )
  if (completed.etag && (answeredEncryption(completed.encryption) || !requestsEncryption(request.sse)))
    return completed
  try {
    const head = await headObject(connection, request)
    return { etag: completed.etag || head.etag, encryption: head.encryption }
  } catch (error) {
    throw classifyS3Error(error, context)
  }
}

/** HEAD with the SSE-C key when there is one (the server refuses it otherwise). */
async function headObject(connection: UploadConnection, request: UploadRequest) {
  const { SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 } = request.sse
  const { output, headers } = await sendReadingHeaders<HeadObjectCommandOutput>(
    connection.s3,
    new (await s3Sdk()).HeadObjectCommand({
      Bucket: request.bucket,
      Key: request.key,
      SSECustomerAlgorithm,
      SSECustomerKey,
      SSECustomerKeyMD5,
    }),
    { abortSignal: request.signal },
  )
  return {
    sha256: output.Metadata?.[SHA256_METADATA_KEY],
    size: output.ContentLength,
    etag: output.ETag,
    encryption: storedEncryptionFromHeaders(headers),
  }
}

/** What the bucket holds at the key now, if anything: our SHA-256, size, ETag and encryption. */
async function remoteContent(connection: UploadConnection, request: UploadRequest) {
  try {
    return await headObject(connection, request)
  } catch {
    // Absent, or unreadable with these parameters: either way, upload.
    return undefined
  }
}
