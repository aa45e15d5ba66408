import { createHash, createHmac } from 'node:crypto'
import type { KmsCredentials } from './kms-directory'

/**
 * Huawei Cloud / OTC API Gateway AK/SK signing ("SDK-HMAC-SHA256"), as specified in the API Request Signing
 * Guide (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html to -005) and as
 * the official SDK signers implement it (huaweicloudsdkcore/signer/signer.py). Written here rather than taken
 * from @huaweicloud/huaweicloud-sdk-core, which would bring axios, lodash, log4js and moment for ~60 lines.
 * Verified against the guide's published example in test/unit/kms-huawei-signer.test.ts.
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n
 *                      HexEncode(SHA256(body))
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexEncode(SHA256(CanonicalRequest))
 *   Signature        = HexEncode(HMAC-SHA256(SecretKey, StringToSign))      (no key derivation, unlike SigV4)
 */
export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256'

export interface SignableRequest {
  method: string
  url: string
  /** Every header given here is signed (the SDKs do the same); Host and X-Sdk-Date are added. */
  headers: Record<string, string>
  body: string
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex')

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ (encodeURIComponent also spares ! ' ( ) *). */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** YYYYMMDDTHHMMSSZ, the X-Sdk-Date format. */
export function sdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Each path segment decoded then encoded, and always a trailing slash: the gateway signs `/path/`. */
function canonicalUri(pathname: string): string {
  const path = pathname
    .split('/')
    .map((segment) => rfc3986(decodeURIComponent(segment)))
    .join('/')
  return path.endsWith('/') ? path : `${path}/`
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}

/** The canonical request for `headers` (names matched case-insensitively), exported for the signer test. */
export function canonicalRequest(request: SignableRequest): { text: string; signedHeaders: string } {
  const url = new URL(request.url)
  const lower = new Map(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value.trim()]),
  )
  const names = [...lower.keys()].sort()
  const text = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    `${names.map((name) => `${name}:${lower.get(name)}`).join('\n')}\n`,
    names.join(';'),
    sha256Hex(request.body),
  ].join('\n')
  return { text, signedHeaders: names.join(';') }
}

export function stringToSign(canonical: string, date: string): string {
  return `${SIGNING_ALGORITHM}\n${date}\n${sha256Hex(canonical)}`
}

export function signature(secretAccessKey: string, toSign: string): string {
  return createHmac('sha256', secretAccessKey).update(toSign, 'utf8').digest('hex')
}

/** The request's headers plus Host, X-Sdk-Date and Authorization, ready to send. */
export function signRequest(
  request: SignableRequest,
  credentials: KmsCredentials,
  now: Date,
): Record<string, string> {
  const date = sdkDate(now)
  const headers = { ...request.headers, Host: new URL(request.url).host, 'X-Sdk-Date': date }
  const canonical = canonicalRequest({ ...request, headers })
  const sig = signature(credentials.secretAccessKey, stringToSign(canonical.text, date))
  return {
    ...headers,
    Authorization: `${SIGNING_ALGORITHM} Access=${credentials.accessKeyId}, SignedHeaders=${canonical.signedHeaders}, Signature=${sig}`,
  }
}
