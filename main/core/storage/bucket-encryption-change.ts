import type { S3Client } from '@aws-sdk/client-s3'
import type { BucketDefaultChoice } from '../../../preload/contract/browser-models'
import type { Account, BucketEncryption } from '../../../preload/contract/models'
import { PROVIDER_PRESETS } from '../accounts/providers'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { bucketEncryption } from './bucket-encryption'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { withContentMd5 } from './content-md5'

type Target = Pick<Account, 'provider' | 'projectId'>

/** What this server cannot change of a bucket's default encryption: its catalogue sentence and main's words. */
const UNSUPPORTED = {
  set: { cause: 'encryptionSetUnsupported', what: "Setting a bucket's default encryption" },
  remove: { cause: 'encryptionRemoveUnsupported', what: "Removing a bucket's default encryption" },
} as const

function notSupported(account: Target, change: keyof typeof UNSUPPORTED): AppError {
  const provider = PROVIDER_PRESETS[account.provider].label
  const { cause, what } = UNSUPPORTED[change]
  return new AppError(
    'NOT_SUPPORTED',
    `${what} is not supported by this server (${provider}). Set it in the server's own console or tools.`,
    { params: { cause, provider } },
  )
}

/**
 * OBS's own XML for the default (https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0062.html): the
 * algorithm is `kms` (not S3's `aws:kms`) and the key's project may be given as ProjectID. The SDK serialises
 * S3's shape; this turns it into OBS's before it is signed.
 */
export function toObsXml(xml: string, projectId: string | undefined): string {
  let out = xml.replace('<SSEAlgorithm>aws:kms</SSEAlgorithm>', '<SSEAlgorithm>kms</SSEAlgorithm>')
  if (projectId && out.includes('<KMSMasterKeyID>')) {
    out = out.replace('</KMSMasterKeyID>', `</KMSMasterKeyID><ProjectID>${escapeXml(projectId)}</ProjectID>`)
  }
  return out
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Does the key id the server reports name the key that was asked for (OBS may add `region:domain:key/`)? */
function sameKey(asked: string | undefined, reported: string | undefined): boolean {
  if (!asked) return true
  if (!reported) return false
  return reported === asked || reported.endsWith(`/${asked}`) || asked.endsWith(`/${reported}`)
}

/**
 * Sets a bucket's default encryption (PutBucketEncryption) and reads it back: what later uploads without an
 * explicit choice inherit. Refused before sending where the provider cannot (Ceph RGW 16 answers 400).
 */
export async function setBucketEncryption(
  s3: S3Client,
  account: Target,
  bucket: string,
  choice: BucketDefaultChoice,
  context: ErrorContext = {},
): Promise<BucketEncryption> {
  const support = PROVIDER_PRESETS[account.provider].bucketEncryption
  if (!support.set) throw notSupported(account, 'set')
  const keyId = choice.mode === 'sse-kms' ? choice.keyId : undefined
  const rule = {
    SSEAlgorithm: choice.mode === 'sse-kms' ? ('aws:kms' as const) : ('AES256' as const),
    ...(keyId ? { KMSMasterKeyID: keyId } : {}),
  }
  const command = new (await s3Sdk()).PutBucketEncryptionCommand({
    Bucket: bucket,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: rule }] },
  })
  try {
    await s3.send(
      withContentMd5(
        command,
        support.shape === 'obs' ? (xml) => toObsXml(xml, account.projectId) : undefined,
      ),
    )
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket, kmsKeyId: keyId })
  }
  const now = await bucketEncryption(s3, bucket, context)
  const applied =
    now.state === 'set' && now.encryption.mode === choice.mode && sameKey(keyId, now.encryption.kmsKeyId)
  if (!applied) {
    throw new AppError(
      'ENCRYPTION_NOT_APPLIED',
      `The server accepted the default encryption of "${bucket}" but reports ${stateText(now)} afterwards.`,
      { params: { cause: 'bucketEncryptionNotSet', bucket } },
    )
  }
  return now
}

/**
 * Removes a bucket's default encryption (DeleteBucketEncryption), only where the provider is known to support
 * it: Ceph RGW 16 takes DELETE /bucket?encryption for DELETE /bucket and removes an empty bucket, so on any
 * provider not known to support it the request is never sent. Existing objects keep their encryption.
 */
export async function removeBucketEncryption(
  s3: S3Client,
  account: Target,
  bucket: string,
  context: ErrorContext = {},
): Promise<BucketEncryption> {
  if (!PROVIDER_PRESETS[account.provider].bucketEncryption.remove) {
    throw notSupported(account, 'remove')
  }
  try {
    await s3.send(new (await s3Sdk()).DeleteBucketEncryptionCommand({ Bucket: bucket }))
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket })
  }
  const now = await bucketEncryption(s3, bucket, context)
  if (now.state !== 'none') {
    throw new AppError(
      'ENCRYPTION_NOT_APPLIED',
      `The server accepted removing the default encryption of "${bucket}" but reports ${stateText(now)} afterwards.`,
      { params: { cause: 'bucketEncryptionNotRemoved', bucket } },
    )
  }
  return now
}

function stateText(state: BucketEncryption): string {
  if (state.state === 'none') return 'no default encryption'
  if (state.state === 'unknown') return `an unknown state (${state.reason})`
  const e = state.encryption
  return e.mode === 'sse-kms' ? `SSE-KMS with ${e.kmsKeyId ?? 'the default key'}` : e.mode
}
