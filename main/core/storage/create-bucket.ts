import type { S3Client } from '@aws-sdk/client-s3'
import { bucketNameProblem } from '../../../preload/contract/bucket-names'
import type { Account } from '../../../preload/contract/models'
import { PROVIDER_PRESETS } from '../accounts/providers'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'

/** The LocationConstraint CreateBucket sends for this account, as its provider preset says. */
export function bucketLocation(account: Pick<Account, 'provider' | 'region'>): string | undefined {
  const rule = PROVIDER_PRESETS[account.provider].bucketLocation
  if (rule === 'none' || !account.region) return undefined
  if (rule === 'region-except-us-east-1' && account.region === 'us-east-1') return undefined
  return account.region
}

/** Does the bucket exist for us (true), for someone else (403: the name is taken), or not at all? */
async function bucketOwner(s3: S3Client, bucket: string): Promise<'mine' | 'other' | 'none'> {
  try {
    await s3.send(new (await s3Sdk()).HeadBucketCommand({ Bucket: bucket }))
    return 'mine'
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 404) return 'none'
    if (status === 403) return 'other'
    throw error
  }
}

/**
 * Creates a bucket in the account's region after checking the name with the provider's rules, so a bad name
 * is refused before anything is sent. OBS and S3 in us-east-1 answer 200 to creating a bucket you already
 * own, so the app asks first and says so instead of pretending it created it. Verified by a HEAD afterwards.
 */
export async function createBucket(
  s3: S3Client,
  account: Pick<Account, 'provider' | 'region'>,
  name: string,
  context: ErrorContext = {},
): Promise<{ name: string; region?: string }> {
  const problem = bucketNameProblem(name, account.provider)
  if (problem) throw new AppError('INVALID_ARGUMENT', `"${name}" cannot be a bucket name: ${problem}`)
  const where = { ...context, bucket: name }
  const region = bucketLocation(account)
  try {
    const owner = await bucketOwner(s3, name)
    if (owner === 'mine')
      throw new AppError('BUCKET_EXISTS', `You already have a bucket named "${name}".`, {
        params: { cause: 'bucketYours', bucket: name },
      })
    if (owner === 'other') {
      throw new AppError(
        'BUCKET_EXISTS',
        `The name "${name}" is taken by another account: bucket names are shared by all users of this storage. Choose another name.`,
        { params: { bucket: name } },
      )
    }
    const { CreateBucketCommand } = await s3Sdk()
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        ...(region ? { CreateBucketConfiguration: { LocationConstraint: region as never } } : {}),
      }),
    )
    if ((await bucketOwner(s3, name)) !== 'mine') {
      throw new AppError('REQUEST_REFUSED', `The server did not create the bucket "${name}".`, {
        params: { cause: 'bucketNotCreated', bucket: name },
      })
    }
    return { name, ...(region ? { region } : {}) }
  } catch (error) {
    throw createError(error, name, region, where)
  }
}

function createError(error: unknown, name: string, region: string | undefined, context: ErrorContext) {
  const code = (error as { name?: string }).name
  if (code === 'BucketAlreadyExists' || code === 'BucketAlreadyOwnedByYou') {
    return new AppError('BUCKET_EXISTS', `The bucket name "${name}" is already taken. Choose another name.`, {
      cause: error,
      params: { bucket: name },
    })
  }
  if (code === 'InvalidLocationConstraint') {
    return new AppError(
      'REQUEST_REFUSED',
      `The server does not accept the region "${region ?? ''}" for new buckets. Check the account's region.`,
      { cause: error, params: { cause: 'regionRefused', region: region ?? '' } },
    )
  }
  if (code === 'TooManyBuckets') {
    return new AppError('REQUEST_REFUSED', 'This account has as many buckets as the provider allows.', {
      cause: error,
      params: { cause: 'tooManyBuckets' },
    })
  }
  return classifyS3Error(error, context)
}
