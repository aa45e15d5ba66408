import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { CompleteMultipartUploadCommandOutput, S3Client, StorageClass } from '@aws-sdk/client-s3'
import type { SseWriteParams } from '../encryption/sse-headers'
import { type StoredEncryption, storedEncryptionFromHeaders } from '../encryption/verify-encryption'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { sendReadingHeaders } from './answer-headers'
import { paceBody, type Throttle } from './body-in-pieces'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { md5Base64 } from './hashing'
import { sourceError } from './source-file'

/** What a durable queue keeps of a multipart upload so that a restart continues it instead of starting over. */
export interface MultipartState {
  uploadId: string
  partSize: number
}

export interface MultipartRequest {
  bucket: string
  key: string
  filePath: string
  size: number
  sha256Hex: string
  sse: SseWriteParams
  storageClass?: string
  contentType?: string
  metadata: Record<string, string>
  partSize?: number
  partConcurrency?: number
  signal?: AbortSignal
  multipart?: MultipartState
  onProgress?: (bytesSent: number, total: number) => void
  /**
   * The bytes the server holds of this upload (its finished parts): once when the parts are known (those already
   * there when resuming, 0 for a new upload), then after each part. A durable queue keeps it, so that a paused or
   * interrupted job shows what is really stored.
   */
  onStored?: (bytesStored: number) => void
  onMultipartCreated?: (state: MultipartState) => void | Promise<void>
  /** The bandwidth limit: each part waits for it piece by piece as it is written. */
  throttle?: Throttle
}

const MiB = 1024 * 1024
const MAX_PARTS = 10_000

/** 8 MiB parts, larger when needed to stay within S3's 10,000-part limit. */
export function choosePartSize(size: number, preferred = 8 * MiB): number {
  const minimum = Math.ceil(size / MAX_PARTS / MiB) * MiB
  return Math.max(preferred, minimum, 5 * MiB)
}

/** SSE-C parameters must accompany every part; SSE-KMS/AES256 only the create call. */
function partSse(sse: SseWriteParams) {
  const { SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 } = sse
  return { SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 }
}

async function listUploadedParts(s3: S3Client, request: MultipartRequest, uploadId: string) {
  const parts = new Map<number, { ETag: string; Size: number }>()
  let marker: string | undefined
  do {
    const page = await s3.send(
      new (await s3Sdk()).ListPartsCommand({
        Bucket: request.bucket,
        Key: request.key,
        UploadId: uploadId,
        PartNumberMarker: marker,
        ...partSse(request.sse),
      }),
    )
    for (const p of page.Parts ?? []) {
      if (p.PartNumber && p.ETag) parts.set(p.PartNumber, { ETag: p.ETag, Size: p.Size ?? 0 })
    }
    marker = page.IsTruncated ? page.NextPartNumberMarker : undefined
  } while (marker)
  return parts
}

/**
 * Uploads a file in parts with Content-MD5 each. Parts are read in order by one reader (memory is bounded by
 * partSize x (concurrency + 1)) which also hashes what it reads: if that SHA-256 differs from the one computed
 * before the upload, the file changed underneath us and the upload is aborted rather than completed.
 * Resuming: parts already stored (ListParts) with the expected size are not sent again.
 */
export async function uploadMultipart(
  s3: S3Client,
  request: MultipartRequest,
  context: ErrorContext,
): Promise<{ etag?: string; encryption: StoredEncryption }> {
  let state = request.multipart
  let uploadedParts = new Map<number, { ETag: string; Size: number }>()
  try {
    if (state) {
      try {
        uploadedParts = await listUploadedParts(s3, request, state.uploadId)
      } catch (error) {
        // The server forgot the upload (aborted, or expired by a lifecycle rule): start a new one.
        if ((error as { name?: string }).name !== 'NoSuchUpload') throw error
        state = undefined
      }
    }
    if (!state) {
      const created = await s3.send(
        new (await s3Sdk()).CreateMultipartUploadCommand({
          Bucket: request.bucket,
          Key: request.key,
          ContentType: request.contentType,
          Metadata: request.metadata,
          StorageClass: request.storageClass as StorageClass | undefined,
          ...request.sse,
        }),
        { abortSignal: request.signal },
      )
      if (!created.UploadId)
        throw new AppError('REQUEST_REFUSED', 'The server did not start a multipart upload.', {
          params: { cause: 'serverUnconfirmed', key: request.key },
        })
      state = { uploadId: created.UploadId, partSize: choosePartSize(request.size, request.partSize) }
      await request.onMultipartCreated?.(state)
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'REQUEST_REFUSED'))
      throw error
    throw classifyS3Error(error, context)
  }

  const { uploadId, partSize } = state
  const partCount = Math.max(1, Math.ceil(request.size / partSize))
  const completed: { PartNumber: number; ETag: string }[] = []
  const sha256 = createHash('sha256')
  const concurrency = Math.max(1, request.partConcurrency ?? 4)
  const inFlight = new Set<Promise<void>>()
  // Part buffers are reused: at most `concurrency` + 1 of them exist (8 MiB each by default). New ones for every
  // part left garbage for the collector to find late, and a 512 MiB upload peaked at ~200 MB of memory.
  const spare: Buffer[] = []
  const partLength = (number: number) => Math.min(partSize, request.size - (number - 1) * partSize)
  const reused = (number: number) => uploadedParts.get(number)?.Size === partLength(number)
  // Parts already stored count as done from the start, in one report: reported one by one as the file is read
  // past them, they looked like hundreds of MB/s moved in a moment (a resumed job's rate jumped).
  let sent = 0
  for (let number = 1; number <= partCount; number++) if (reused(number)) sent += partLength(number)
  request.onStored?.(sent)
  request.onProgress?.(sent, request.size)
  // What the row shows moves with the bytes handed to the socket, part by part as their pieces go: with the parts
  // in flight sharing a bandwidth limit piece by piece, they end together, and counted only as each part was
  // stored, 4 parts of 8 MiB under 2 MB/s showed "0 B, 0%" and no rate for 16 s. What is saved for a pause or a
  // restart (onStored) stays what the server confirmed.
  const handed = new Map<number, number>()
  const reportProgress = () => {
    let bytes = sent
    for (const partBytes of handed.values()) bytes += partBytes
    request.onProgress?.(bytes, request.size)
  }
  let failure: unknown

  const file = await open(request.filePath, 'r').catch((error) => {
    throw sourceError(request.filePath, error)
  })
  try {
    for (let number = 1; number <= partCount && failure === undefined; number++) {
      const offset = (number - 1) * partSize
      const length = partLength(number)
      const whole = spare.pop() ?? Buffer.allocUnsafeSlow(partSize)
      const buffer = whole.subarray(0, length)
      const { bytesRead } = await file.read(buffer, 0, length, offset)
      if (bytesRead !== length) {
        failure = new AppError(
          'SOURCE_CHANGED',
          `"${request.filePath}" shrank while it was being uploaded.`,
          {
            params: { path: request.filePath },
          },
        )
        break
      }
      sha256.update(buffer)
      const existing = uploadedParts.get(number)
      if (existing && reused(number)) {
        completed.push({ PartNumber: number, ETag: existing.ETag })
        spare.push(whole)
        continue
      }
      const task = (async () => {
        // The part waits for the bandwidth limit piece by piece as it is written (body-in-pieces.ts), not
        // whole before it: waiting for 8 MiB and then writing them at line speed burst through the limit.
        const answer = await s3.send(
          paceBody(
            new (await s3Sdk()).UploadPartCommand({
              Bucket: request.bucket,
              Key: request.key,
              UploadId: uploadId,
              PartNumber: number,
              Body: buffer,
              ContentLength: length,
              ContentMD5: md5Base64(buffer),
              ...partSse(request.sse),
            }),
            {
              throttle: request.throttle,
              // Each send of the part counts its pieces from 0 (a part sent again is not counted twice).
              onPiece: (bytes) => {
                handed.set(number, bytes)
                reportProgress()
              },
            },
          ),
          { abortSignal: request.signal },
        )
        if (!answer.ETag)
          throw new AppError('REQUEST_REFUSED', `The server stored part ${number} without an ETag.`, {
            params: { cause: 'serverUnconfirmed', key: request.key },
          })
        completed.push({ PartNumber: number, ETag: answer.ETag })
        handed.delete(number)
        sent += length
        request.onStored?.(sent)
        reportProgress()
        // Its request is over: the next part is read into the same memory.
        spare.push(whole)
      })().catch((error) => {
        handed.delete(number)
        failure ??= error
      })
      inFlight.add(task)
      void task.finally(() => inFlight.delete(task))
      if (inFlight.size >= concurrency) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
  } finally {
    await file.close()
  }
  if (failure === undefined && sha256.digest('hex') !== request.sha256Hex) {
    failure = new AppError('SOURCE_CHANGED', `"${request.filePath}" changed while it was being uploaded.`, {
      params: { path: request.filePath },
    })
  }
  if (failure instanceof AppError && failure.code === 'SOURCE_CHANGED') {
    // Never complete an object from two versions of a file: drop the parts, the queue uploads it again.
    await abortMultipart(s3, request.bucket, request.key, uploadId)
  }
  if (failure !== undefined) throw failure instanceof AppError ? failure : classifyS3Error(failure, context)

  try {
    completed.sort((a, b) => a.PartNumber - b.PartNumber)
    const { output, headers } = await sendReadingHeaders<CompleteMultipartUploadCommandOutput>(
      s3,
      new (await s3Sdk()).CompleteMultipartUploadCommand({
        Bucket: request.bucket,
        Key: request.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: completed },
        ...partSse(request.sse),
      }),
      { abortSignal: request.signal },
    )
    return { etag: output.ETag || undefined, encryption: storedEncryptionFromHeaders(headers) }
  } catch (error) {
    throw classifyS3Error(error, context)
  }
}

/** Gives up a multipart upload so that its parts stop taking space (cancelled job, vanished source). */
export async function abortMultipart(
  s3: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  try {
    await s3.send(
      new (await s3Sdk()).AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
    )
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchUpload') return
    throw classifyS3Error(error, { bucket, key })
  }
}
