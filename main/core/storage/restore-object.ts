import { createHash } from 'node:crypto'
import type { S3Client } from '@aws-sdk/client-s3'
import type { RestoreResult, RestoreTier } from '../../../preload/contract/storage-class-models'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'

export interface RestoreInput {
  bucket: string
  key: string
  days: number
  tier?: RestoreTier
  /** Which API shape the provider speaks: S3's RestoreObject or OBS's "Restoring a Cold Object". */
  dialect: 's3' | 'obs'
}

const TIER_NAMES: Record<RestoreTier, 'Expedited' | 'Standard' | 'Bulk'> = {
  expedited: 'Expedited',
  standard: 'Standard',
  bulk: 'Bulk',
}

/**
 * OBS's body for `POST /key?restore`: RestoreRequest > Days, RestoreJob > Tier (Expedited | Standard), with
 * Content-MD5 required. https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0087.html
 */
export function obsRestoreBody(days: number, tier: RestoreTier): string {
  return `<RestoreRequest><Days>${days}</Days><RestoreJob><Tier>${TIER_NAMES[tier]}</Tier></RestoreJob></RestoreRequest>`
}

/**
 * Asks the server for a readable copy of an archived object for `days` days. S3 (RestoreObject,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html) and OBS answer 202 when a restore
 * starts, 200 when a restored copy already exists (its days are reset), 409 RestoreAlreadyInProgress while one
 * runs; an object that is not archived is refused with 403 InvalidObjectState.
 */
export async function restoreObject(
  s3: S3Client,
  input: RestoreInput,
  context: ErrorContext = {},
): Promise<Pick<RestoreResult, 'outcome'>> {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 30) {
    throw new AppError('INVALID_ARGUMENT', 'A restored copy is kept between 1 and 30 days.', {
      params: { rule: 'restoreDays' },
    })
  }
  const tier = input.tier ?? 'standard'
  if (input.dialect === 'obs' && tier === 'bulk') {
    throw new AppError('INVALID_ARGUMENT', 'OBS restores at expedited or standard speed only.', {
      params: { rule: 'restoreTierObs' },
    })
  }
  const { RestoreObjectCommand } = await s3Sdk()
  const command = new RestoreObjectCommand({
    Bucket: input.bucket,
    Key: input.key,
    RestoreRequest: { Days: input.days, GlacierJobParameters: { Tier: TIER_NAMES[tier] } },
  })
  if (input.dialect === 'obs') useObsBody(command, obsRestoreBody(input.days, tier))
  try {
    const answer = await s3.send(command)
    return { outcome: answer.$metadata.httpStatusCode === 200 ? 'extended' : 'started' }
  } catch (error) {
    const code = (error as { name?: string; Code?: string }).Code ?? (error as { name?: string }).name
    if (code === 'RestoreAlreadyInProgress') return { outcome: 'in-progress' }
    if (code === 'InvalidObjectState') {
      throw new AppError(
        'NOT_ARCHIVED',
        `"${input.key}" is not in an archive class; it can be downloaded as it is.`,
        { cause: error, params: { key: input.key } },
      )
    }
    throw classifyS3Error(error, { ...context, bucket: input.bucket, key: input.key })
  }
}

/** Replaces the SDK's S3-shaped body by OBS's (before signing, so the signature covers it). */
function useObsBody(
  command: { middlewareStack: { add: (mw: never, options: object) => void } },
  body: string,
): void {
  const md5 = createHash('md5').update(body).digest('base64')
  const middleware =
    (next: (args: { request: { headers: Record<string, string>; body?: unknown } }) => Promise<unknown>) =>
    async (args: { request: { headers: Record<string, string>; body?: unknown } }) => {
      args.request.body = body
      args.request.headers['content-type'] = 'application/xml'
      args.request.headers['content-length'] = String(Buffer.byteLength(body))
      args.request.headers['content-md5'] = md5
      return next(args)
    }
  command.middlewareStack.add(middleware as never, { step: 'build', priority: 'low', name: 'obsRestoreBody' })
}
