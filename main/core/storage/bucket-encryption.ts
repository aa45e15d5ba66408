import type { S3Client } from '@aws-sdk/client-s3'
import type { BucketEncryption } from '../../../preload/contract/models'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'

/**
 * Reads a bucket's default encryption (GET ?encryption). S3 and OBS's S3 API say `aws:kms`/`AES256`; OBS's own
 * API says `kms`. "None" is the NoSuchEncryptionConfiguration error. Ceph RGW 16 does not implement the call and
 * answers with a bucket listing, which parses as no rule: that is reported as unknown, never as a crash.
 *
 * Setting and removing are in bucket-encryption-change.ts, behind the provider's capabilities (on RGW,
 * DeleteBucketEncryption deletes an empty bucket).
 */
export async function bucketEncryption(
  s3: S3Client,
  bucket: string,
  context: ErrorContext = {},
): Promise<BucketEncryption> {
  try {
    const answer = await s3.send(new (await s3Sdk()).GetBucketEncryptionCommand({ Bucket: bucket }))
    const rule = answer.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
    if (!rule?.SSEAlgorithm) {
      return {
        state: 'unknown',
        why: 'no-configuration',
        reason: 'The server did not answer with an encryption configuration.',
      }
    }
    const algorithm = String(rule.SSEAlgorithm)
    if (algorithm === 'AES256') return { state: 'set', encryption: { mode: 'sse-obs' } }
    if (algorithm.startsWith('aws:kms') || algorithm === 'kms') {
      return { state: 'set', encryption: { mode: 'sse-kms', kmsKeyId: rule.KMSMasterKeyID || undefined } }
    }
    return {
      state: 'unknown',
      why: 'unknown-algorithm',
      algorithm,
      reason: `The server reported an unknown algorithm "${algorithm}".`,
    }
  } catch (error) {
    const name = (error as { name?: string }).name
    if (
      name === 'ServerSideEncryptionConfigurationNotFoundError' ||
      name === 'NoSuchEncryptionConfiguration'
    ) {
      return { state: 'none' }
    }
    const classified = classifyS3Error(error, { ...context, bucket })
    if (classified.code === 'REQUEST_REFUSED' || classified.code === 'INTERNAL') {
      return {
        state: 'unknown',
        why: 'not-reported',
        reason: 'This server cannot report default encryption.',
      }
    }
    throw classified
  }
}
