import type { IncomingMessage, ServerResponse } from 'node:http'
import { posix } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import { onExistsPolicySchema } from '../../preload/contract/download-models'
import { type IpcError, ipcErrorSchema } from '../../preload/contract/errors'
import { encryptionChoiceSchema } from '../../preload/contract/models'
import type { EnqueueResult } from '../../preload/contract/queue-models'
import { storageClassInputSchema } from '../../preload/contract/storage-class-models'
import type { DroppedFile } from '../core/drops/drop-inbox'
import { toIpcError } from '../core/errors'
import type { ObjectStream } from '../core/storage/read-object'
import type { ObjectRef } from '../core/storage/storage-service'
import { securityHeaders } from './static-files'

/** What the web UI's byte transfers need from the core (the same services the contract's handlers use). */
export interface TransferRouteDeps {
  openObject(ref: ObjectRef, signal: AbortSignal): Promise<ObjectStream>
  receiveDrop(file: DroppedFile, body: IncomingMessage): Promise<EnqueueResult>
}

const objectQuery = z.object({
  account: z.string().min(1).max(200),
  bucket: z.string().min(1).max(255),
  key: z.string().min(1).max(1024),
  /** The NAME of an SSE-C key kept in the keychain; the key itself never travels in a URL. */
  sseKey: z.string().min(1).max(200).optional(),
})

const dropQuery = z.object({
  account: z.string().min(1).max(200),
  bucket: z.string().min(1).max(255),
  prefix: z.string().max(1024).default(''),
  name: z.string().min(1).max(255),
  storageClass: storageClassInputSchema.optional(),
  onExists: onExistsPolicySchema.optional(),
})

const STATUS: Partial<Record<IpcError['code'], number>> = {
  INVALID_ARGUMENT: 400,
  UNSAFE_PATH: 400,
  SSE_C_KEY_REQUIRED: 400,
  NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  NO_SUCH_BUCKET: 404,
  ACCESS_DENIED: 403,
}

function sendError(response: ServerResponse, error: IpcError, status = STATUS[error.code] ?? 502): void {
  if (response.headersSent) {
    response.destroy()
    return
  }
  response.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify({ ok: false, error: ipcErrorSchema.parse(error) }))
}

function queryOf<T extends z.ZodType>(schema: T, url: URL): z.output<T> | IpcError {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams))
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  return {
    code: 'INVALID_ARGUMENT',
    message: `Bad request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
  }
}

/** `attachment` with the object's own name, also for names outside ASCII (RFC 6266 / RFC 5987). */
function contentDisposition(key: string): string {
  const name = posix.basename(key)
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

async function streamObject(url: URL, response: ServerResponse, deps: TransferRouteDeps): Promise<void> {
  const query = queryOf(objectQuery, url)
  if ('code' in query) return sendError(response, query)
  const abort = new AbortController()
  response.on('close', () => abort.abort())
  let object: ObjectStream
  try {
    object = await deps.openObject(
      { accountId: query.account, bucket: query.bucket, key: query.key, sseCustomerKeyName: query.sseKey },
      abort.signal,
    )
  } catch (error) {
    return sendError(response, toIpcError(error))
  }
  response.writeHead(200, {
    ...securityHeaders(),
    // Never rendered as a page of ours (a stored .html would otherwise run with the token's cookie).
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(object.size),
    'Content-Disposition': contentDisposition(query.key),
    'Cache-Control': 'no-store',
  })
  await pipeline(object.body, response).catch(() => response.destroy())
}

/** A %-encoded JSON header, or undefined when it is neither (the client's mistake, refused as such). */
function jsonOrUndefined(header: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(header))
  } catch {
    return undefined
  }
}

async function receiveDrop(
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
  deps: TransferRouteDeps,
): Promise<void> {
  const query = queryOf(dropQuery, url)
  if ('code' in query) return sendError(response, query)
  const size = Number(request.headers['content-length'])
  if (!Number.isSafeInteger(size) || size < 0) {
    return sendError(
      response,
      { code: 'INVALID_ARGUMENT', message: 'The upload must say its size (Content-Length).' },
      411,
    )
  }
  let encryption: DroppedFile['encryption']
  const header = request.headers['x-obs-sync-encryption']
  if (typeof header === 'string' && header) {
    const parsed = encryptionChoiceSchema.safeParse(jsonOrUndefined(header))
    if (!parsed.success)
      return sendError(response, { code: 'INVALID_ARGUMENT', message: 'Unknown encryption choice.' })
    encryption = parsed.data
  }
  try {
    const result = await deps.receiveDrop(
      {
        accountId: query.account,
        bucket: query.bucket,
        prefix: query.prefix,
        name: query.name,
        size,
        encryption,
        storageClass: query.storageClass,
        onExists: query.onExists,
      },
      request,
    )
    response.writeHead(200, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8' })
    response.end(JSON.stringify({ ok: true, value: result }))
  } catch (error) {
    request.resume()
    sendError(response, toIpcError(error))
  }
}

/**
 * The web UI's byte transfers, which do not fit a WebSocket frame: `GET /api/object` streams an object to the
 * browser as a download, `POST /api/drop` streams a file dropped into the browser into the upload queue.
 * The caller has checked the host and the token already; a POST must also come from our own page (Origin).
 * Returns false for paths that are not transfer routes.
 */
export async function handleTransferRoute(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: TransferRouteDeps,
  sameOrigin: (origin: string | undefined) => boolean,
): Promise<boolean> {
  if (url.pathname === '/api/object' && (request.method === 'GET' || request.method === 'HEAD')) {
    await streamObject(url, response, deps)
    return true
  }
  if (url.pathname === '/api/drop' && request.method === 'POST') {
    if (!sameOrigin(request.headers.origin)) {
      sendError(
        response,
        { code: 'FORBIDDEN_SENDER', message: 'Uploads come from the OBS Sync page only.' },
        403,
      )
      return true
    }
    await receiveDrop(request, url, response, deps)
    return true
  }
  return false
}
