import { createHash } from 'node:crypto'

interface RequestLike {
  headers: Record<string, string>
  body?: unknown
}

interface CommandLike {
  middlewareStack: {
    addRelativeTo(
      middleware: (
        next: (args: { request: unknown }) => Promise<unknown>,
      ) => (args: { request: unknown }) => Promise<unknown>,
      options: { relation: 'before'; toMiddleware: string; name: string; override?: boolean },
    ): void
  }
}

/**
 * Makes a command with an XML body (DeleteObjects, PutBucketEncryption) carry Content-MD5, which OBS and older
 * S3-compatible servers require, instead of the SDK's CRC32 checksum headers (which they do not know).
 * `rewriteBody` may change the serialised XML first (OBS's own element names); the MD5 is of what is sent.
 * Runs just before signing, so the signature covers the final body and headers.
 */
export function withContentMd5<C>(command: C, rewriteBody?: (xml: string) => string): C {
  ;(command as unknown as CommandLike).middlewareStack.addRelativeTo(
    (next) => async (args) => {
      const request = args.request as RequestLike
      if (typeof request.body === 'string' || request.body instanceof Uint8Array) {
        let body = request.body
        if (rewriteBody) {
          body = rewriteBody(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'))
          request.body = body
          request.headers['content-length'] = String(Buffer.byteLength(body))
        }
        for (const header of Object.keys(request.headers)) {
          if (/^x-amz-(checksum-|sdk-checksum-algorithm)/i.test(header)) delete request.headers[header]
        }
        request.headers['content-md5'] = createHash('md5').update(body).digest('base64')
      }
      return next(args)
    },
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'obsSyncContentMd5', override: true },
  )
  return command
}
