import type { S3Client } from '@aws-sdk/client-s3'
import { assertTransportAllows } from '../encryption/resolve-encryption'

/**
 * On a plain-HTTP endpoint, refuses every request that would carry an SSE-C key (its bytes would cross the
 * network in clear) or ask for SSE-KMS, whatever sends it: uploads, downloads, object details, any HEAD.
 * OBS and RGW refuse them too, but only after the key was sent. Checked on the built request, so no command
 * can slip past it; the words are the upload refusal's (resolve-encryption.ts).
 */
export function refuseEncryptionOverHttp(s3: S3Client, endpoint: string): void {
  if (!endpoint.toLowerCase().startsWith('http://')) return
  s3.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {}
      for (const [name, value] of Object.entries(headers)) {
        const header = name.toLowerCase()
        if (header.includes('server-side-encryption-customer-'))
          assertTransportAllows({ mode: 'sse-c', customerKeyName: 'sse-c' }, endpoint)
        if (header.endsWith('server-side-encryption') && String(value).includes('kms'))
          assertTransportAllows({ mode: 'sse-kms' }, endpoint)
      }
      return next(args)
    },
    { step: 'build', name: 'refuseEncryptionOverHttp' },
  )
}
