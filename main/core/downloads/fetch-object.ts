import { utimes } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type { SseReadParams } from '../encryption/sse-headers'
import { isAppError } from '../errors'
import type { ErrorContext } from '../storage/classify-error'
import type { DownloadRequest, DownloadResult } from '../storage/download-object'
import { objectDetails } from '../storage/object-details'
import { safeLocalPath } from '../storage/safe-path'
import { existingEntry, type RemoteFacts, sameContent, uniqueSiblingName } from './name-clash'
import type { PlannedObject } from './plan-download'

export type DownloadFunction = (
  s3: S3Client,
  request: DownloadRequest,
  context?: ErrorContext,
) => Promise<DownloadResult>

/** What one object of a batch needs from its batch. */
export interface FetchContext {
  s3: S3Client
  bucket: string
  targetDir: string
  errorContext: ErrorContext
  download: DownloadFunction
  /** SSE-C key names the batch knows, in the order to try them (the last one that worked first). */
  customerKeys(): string[]
  keyParams(name: string): Promise<SseReadParams>
  /** Called with the name of the SSE-C key an object was read with. */
  keyWorked(name: string): void
  onExists: OnExistsPolicy
  signal: AbortSignal
  onProgress(bytes: number): void
}

export type FetchOutcome =
  | { kind: 'downloaded'; path: string; verified: boolean }
  | { kind: 'skipped'; path: string }
  /** No SSE-C key the batch knows reads this object: the batch asks for one. */
  | { kind: 'needs-key' }
  /** The target exists and the batch has not decided yet what to do with existing files. */
  | { kind: 'clash'; path: string }

/** Errors that mean "this SSE-C key is not the one the object was written with" (or no key was sent). */
function isKeyRefusal(error: unknown): boolean {
  return isAppError(error) && ['SSE_C_KEY_REQUIRED', 'ACCESS_DENIED', 'REQUEST_REFUSED'].includes(error.code)
}

/**
 * Runs `attempt` without an SSE-C key, and when the object turns out to need one, with each key the batch
 * knows until one reads it. Plain and SSE-KMS objects cost one request; SSE-C objects one more per wrong key.
 */
async function withCustomerKey<T>(
  ctx: FetchContext,
  attempt: (sseC: SseReadParams) => Promise<T>,
): Promise<T | 'needs-key'> {
  try {
    return await attempt({})
  } catch (error) {
    if (!isAppError(error) || error.code !== 'SSE_C_KEY_REQUIRED') throw error
  }
  for (const name of ctx.customerKeys()) {
    try {
      const result = await attempt(await ctx.keyParams(name))
      ctx.keyWorked(name)
      return result
    } catch (error) {
      if (!isKeyRefusal(error) || ctx.signal.aborted) throw error
    }
  }
  return 'needs-key'
}

async function remoteFacts(ctx: FetchContext, object: PlannedObject): Promise<RemoteFacts> {
  const facts = { size: object.size, lastModified: object.lastModified }
  const details = await withCustomerKey(ctx, (sseC) =>
    objectDetails(ctx.s3, ctx.bucket, object.key, sseC, ctx.errorContext),
  )
  return details === 'needs-key' ? facts : { ...facts, sha256: details.sha256 }
}

function localNameOf(targetDir: string, path: string): string {
  return relative(targetDir, path).split(sep).join('/')
}

/**
 * Downloads one object of a batch: applies the batch's rule for an existing target file (skip, keep both,
 * compare, overwrite, or ask), finds its SSE-C key among the batch's keys, and gives the file the object's
 * modification time (so a later compare by size and time recognises it). A file that appears at the target
 * while the object downloads is not replaced unless the rule is "overwrite": the write refuses it (FILE_EXISTS)
 * and the rule is applied again with that file there.
 */
export async function fetchObject(ctx: FetchContext, object: PlannedObject): Promise<FetchOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(ctx, object)
    } catch (error) {
      if (attempt >= 3 || !isAppError(error) || error.code !== 'FILE_EXISTS') throw error
    }
  }
}

async function fetchOnce(ctx: FetchContext, object: PlannedObject): Promise<FetchOutcome> {
  // The same path rules as every download (keys are untrusted); an unsafe key fails here, before any request.
  const planned = safeLocalPath(ctx.targetDir, object.localName)
  let target = planned
  const existing = await existingEntry(planned)
  if (existing) {
    switch (ctx.onExists) {
      case 'ask':
        return { kind: 'clash', path: planned }
      case 'skip':
        return { kind: 'skipped', path: planned }
      case 'rename':
        target = await uniqueSiblingName(planned)
        break
      case 'compare':
        if (await sameContent(planned, existing, await remoteFacts(ctx, object))) {
          return { kind: 'skipped', path: planned }
        }
        break
      case 'overwrite':
        break
    }
  }
  const result = await withCustomerKey(ctx, (sseC) =>
    ctx.download(
      ctx.s3,
      {
        bucket: ctx.bucket,
        key: object.key,
        localName: localNameOf(ctx.targetDir, target),
        targetDir: ctx.targetDir,
        // Replaced only by the rule's decision: "overwrite", or "compare" that found other content.
        overwrite: ctx.onExists === 'overwrite' || (target === planned && existing !== undefined),
        sseC,
        signal: ctx.signal,
        onProgress: (bytes) => ctx.onProgress(bytes),
      },
      ctx.errorContext,
    ),
  )
  if (result === 'needs-key') return { kind: 'needs-key' }
  if (object.lastModified) {
    const at = new Date(object.lastModified)
    await utimes(result.path, at, at).catch(() => {})
  }
  return { kind: 'downloaded', path: result.path, verified: result.verified }
}
