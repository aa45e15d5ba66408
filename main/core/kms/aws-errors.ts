import { AppError } from '../errors'
import { classifyS3Error } from '../storage/classify-error'

/** The KMS calls a listing makes, each with the IAM permission of the same name. */
export type AwsKmsOperation = 'ListKeys' | 'ListAliases' | 'DescribeKey'

/**
 * Common errors of every AWS JSON API (https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html)
 * that mean the key pair itself is wrong: unknown access key, wrong secret (signature mismatch), expired token.
 */
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
])

interface SdkErrorLike {
  name?: string
  message?: string
}

/**
 * A failed KMS call as an AppError naming the fix. AccessDeniedException names the permission of the call that
 * was refused (kms:ListKeys, kms:ListAliases or kms:DescribeKey) and offers manual entry (domain rule 5);
 * network, TLS and 5xx failures get the storage taxonomy's words.
 */
export function awsKmsError(error: unknown, operation: AwsKmsOperation, endpoint: string): AppError {
  if (error instanceof AppError) return error
  const e = (error ?? {}) as SdkErrorLike
  const detail = e.message ? ` (${e.message})` : ''
  if (e.name === 'AccessDeniedException') {
    return new AppError(
      'KMS_PERMISSION_MISSING',
      `This access key may not list KMS keys: it needs the permission kms:${operation}${detail}. Ask an administrator to grant it in IAM, or type a key id by hand.`,
      { cause: error, params: { cause: 'kmsListPermission', permission: `kms:${operation}` } },
    )
  }
  if (e.name === 'InvalidSignatureException' && /expired|in the future/i.test(e.message ?? '')) {
    return new AppError(
      'CLOCK_SKEW',
      "This computer's clock differs too much from AWS's. Set the clock automatically (NTP) and try again.",
      { cause: error, params: { cause: 'kmsClock', endpoint } },
    )
  }
  if (e.name && CREDENTIAL_ERRORS.has(e.name)) {
    return new AppError(
      'BAD_CREDENTIALS',
      `AWS KMS refused the access key or secret key${detail}. Check both in the account settings.`,
      { cause: error, params: { cause: 'kmsCredentials', endpoint } },
    )
  }
  return classifyS3Error(error, { endpoint })
}
