import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'

/** A request body held in memory is handed to the socket in pieces of this size once it is bigger. */
export const BODY_PIECE_BYTES = 256 * 1024

/**
 * SDK requests with a body in memory (a multipart upload's part: 8 MiB by default) send it in pieces. Written
 * whole, the body is encrypted by TLS at once into OpenSSL's output buffer, a second copy of it held until the
 * network has taken all of it: with 4 parts in flight that was ~32 MB more peak memory for a big upload. In
 * pieces, the stream's backpressure keeps about one piece per connection encrypted ahead. The pieces are swapped
 * in after signing (the signed payload hash is still the SHA-256 of the whole body, checked by the server), and
 * built anew each time the request is sent (a request sent again after a clock correction sends them again).
 */
export function sendBodiesInPieces(s3: S3Client): void {
  s3.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown }
      if (request.body instanceof Uint8Array && request.body.byteLength > BODY_PIECE_BYTES)
        request.body = inPieces(request.body)
      return next(args)
    },
    // The deserialize step runs after finalizeRequest (signing), right before the request is sent.
    { step: 'deserialize', priority: 'low', name: 'obsSyncBodyInPieces' },
  )
}

/** The bytes as a stream of BODY_PIECE_BYTES views of the same memory (nothing is copied). */
export function inPieces(body: Uint8Array): Readable {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += BODY_PIECE_BYTES)
        yield bytes.subarray(offset, offset + BODY_PIECE_BYTES)
    })(),
    { objectMode: false },
  )
}
