import { readFile } from 'node:fs/promises'
import { rootCertificates } from 'node:tls'
import { AppError } from './errors'

/** One certificate's identity in a PEM text: its base64 body, whatever the line breaks around it. */
const pemBody = (pem: string) => pem.replace(/-----[A-Z0-9 ]+-----|\s/g, '')

/** The public roots as PEM bodies: a certificate among them is not parsed twice. */
let publicRootBodies: Set<string> | undefined

/**
 * Certificates an administrator added for every Node program (NODE_EXTRA_CA_CERTS: a company proxy's or
 * an internal CA). Node adds them to its default trust store only; a `ca` option given explicitly replaces that
 * store, so they are added here again. Those already among the public roots are left out: a system bundle in
 * NODE_EXTRA_CA_CERTS (Debian's holds ~140 certificates, most of them the same roots) doubled the certificates
 * every connection's context parses, ~17 of its ~36 ms at start. An unreadable file is left out: Node itself
 * warns about it at start.
 */
async function extraCaCertificates(env: NodeJS.ProcessEnv): Promise<string[]> {
  const file = env.NODE_EXTRA_CA_CERTS
  if (!file) return []
  const pem = await readFile(file, 'utf8').catch(() => '')
  publicRootBodies ??= new Set(rootCertificates.map(pemBody))
  const known = publicRootBodies
  // Every PEM block as it is (a TRUSTED CERTIFICATE too, which never matches a root's body).
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----[^-]*-----END [A-Z0-9 ]+-----/g) ?? []
  return blocks.filter((block) => !known.has(pemBody(block)))
}

/**
 * The certificates a connection trusts when the account has its own CA file: the public roots, the extra CAs
 * of NODE_EXTRA_CA_CERTS and the account's CA, never instead of them, and verification is never turned off
 * (TLS verification is never silently off). Without a CA file: undefined, so Node's default store (roots +
 * NODE_EXTRA_CA_CERTS) applies. Shared by the S3 client and both KMS directories.
 */
export async function trustedCertificates(
  caFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[] | undefined> {
  if (!caFile) return undefined
  let accountCa: string
  try {
    accountCa = await readFile(caFile, 'utf8')
  } catch (error) {
    throw new AppError('TLS_FAILURE', `The CA certificate file ${caFile} cannot be read.`, {
      cause: error,
      params: { cause: 'caFileUnreadable', file: caFile },
    })
  }
  return [...rootCertificates, ...(await extraCaCertificates(env)), accountCa]
}
