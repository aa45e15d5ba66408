import { readFile } from 'node:fs/promises'
import { rootCertificates } from 'node:tls'
import { AppError } from './errors'

/**
 * The certificates a KMS connection trusts: the public roots plus the account's own CA, never instead of them,
 * and verification is never turned off (domain rule 6). Shared by the S3 client and both KMS directories.
 */
export async function trustedCertificates(caFile: string | undefined): Promise<string[] | undefined> {
  if (!caFile) return undefined
  try {
    return [...rootCertificates, await readFile(caFile, 'utf8')]
  } catch (error) {
    throw new AppError('TLS_FAILURE', `The CA certificate file ${caFile} cannot be read.`, { cause: error })
  }
}
