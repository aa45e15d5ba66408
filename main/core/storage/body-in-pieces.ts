import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'

/**
 * A request body held in memory is handed to the socket in pieces of this size once it is bigger: the one rule
 * for both kinds of upload (a multipart upload's parts through the SDK, single PUTs in direct-put.ts).
 */
export const BODY_PIECE_BYTES = 256 * 1024

/** Waits until `bytes` may be sent (the queue's bandwidth limit); rejects with the signal's reason on abort. */
export type Throttle = (bytes: number, signal?: AbortSignal) => Promise<void>

/** How a body's pieces wait for the bandwidth limit, and who hears of each piece handed on. */
export interface Pacing {
  throttle?: Throttle
  signal?: AbortSignal
  /** After each piece is handed on: the bytes of the body handed on so far (the body's own count). */
  onPiece?: (bytesSoFar: number) => void
}

/**
 * The body as it goes to the socket. One piece or less: as it is (one write), after waiting once for its whole
 * length. Bigger: a stream of BODY_PIECE_BYTES views of the same memory (nothing is copied), each piece waiting
 * for the limit before it is handed on, so the bytes on the wire follow the limit within about a piece (waiting
 * for a whole 8 MiB part and then writing it at line speed sent 8 MiB bursts through a user's limit). Each call
 * builds new pieces that wait again: a body sent once more is paced again.
 */
export async function bodyToSend<B extends Uint8Array>(body: B, pacing: Pacing = {}): Promise<B | Readable> {
  if (body.byteLength > BODY_PIECE_BYTES) return inPieces(body, pacing)
  await pacing.throttle?.(body.byteLength, pacing.signal)
  return body
}

/** The bytes as a stream of BODY_PIECE_BYTES pieces, each waiting for `pacing.throttle` first when there is one. */
export function inPieces(body: Uint8Array, { throttle, signal, onPiece }: Pacing = {}): Readable {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const pieces = (function* () {
    for (let offset = 0; offset < bytes.length; offset += BODY_PIECE_BYTES)
      yield bytes.subarray(offset, offset + BODY_PIECE_BYTES)
  })()
  if (!throttle && !onPiece) return Readable.from(pieces, { objectMode: false })
  // The stream asks for the next piece only once the socket has taken the one before (its buffer is smaller
  // than a piece), so a piece waits for the limit right before it is written, not ahead of it.
  return Readable.from(
    (async function* () {
      let handed = 0
      for (const piece of pieces) {
        await throttle?.(piece.length, signal)
        yield piece
        handed += piece.length
        onPiece?.(handed)
      }
    })(),
    { objectMode: false },
  )
}

/**
 * Pacing for SDK commands, by command: upload-multipart.ts registers a part's throttle and piece counter on its
 * UploadPartCommand, and the middleware below finds them through the command instance the SDK puts in each
 * request's context, along with the abort signal passed to `send` (the one the SDK's handler ends the request
 * with). Weak: a command sent and dropped takes its entry with it.
 */
const pacings = new WeakMap<object, Omit<Pacing, 'signal'>>()

/** The command's body (when it is in memory) waits for `throttle` piece by piece, each time it is sent. */
export function paceBody<C extends object>(command: C, pacing: Omit<Pacing, 'signal'>): C {
  if (pacing.throttle || pacing.onPiece) pacings.set(command, pacing)
  return command
}

/**
 * SDK requests with a body in memory (a multipart upload's part: 8 MiB by default) send it in pieces. Written
 * whole, the body is encrypted by TLS at once into OpenSSL's output buffer, a second copy of it held until the
 * network has taken all of it: with 4 parts in flight that was ~32 MB more peak memory for a big upload. In
 * pieces, the stream's backpressure keeps about one piece per connection encrypted ahead. The pieces are swapped
 * in after signing (the signed payload hash is still the SHA-256 of the whole body, checked by the server), and
 * built anew each time the request is sent (a request sent again after a clock correction sends them again, and
 * waits for the bandwidth limit again).
 */
export function sendBodiesInPieces(s3: S3Client): void {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { body?: unknown }
      if (!(request.body instanceof Uint8Array)) return next(args)
      const smithy = context.__smithy_context
      const pacing = smithy?.commandInstance && pacings.get(smithy.commandInstance)
      const signal = smithy?.abortSignal as AbortSignal | undefined
      const body = await bodyToSend(request.body, { ...pacing, signal })
      request.body = body
      if (!(body instanceof Readable)) return next(args)
      // The SDK pipes the stream into the request without listening for its errors. A piece's wait rejects only
      // when the request's signal aborts, on which the SDK's handler destroys the request too; the request ends
      // with the stream's error here rather than leave that error unheard (it would crash the process).
      const failed = new Promise<never>((_, reject) => body.once('error', reject))
      return Promise.race([next(args), failed])
    },
    // The deserialize step runs after finalizeRequest (signing), right before the request is sent.
    { step: 'deserialize', priority: 'low', name: 'obsSyncBodyInPieces' },
  )
}
