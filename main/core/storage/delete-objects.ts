import type { DeleteObjectsCommandOutput, S3Client } from '@aws-sdk/client-s3'
import type {
  BucketVersioning,
  DeleteFailure,
  DeletePlan,
  DeleteProgress,
  DeleteResult,
  DeleteTargets,
} from '../../../preload/contract/browser-models'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { listObjectPage, walkObjects } from './browse'
import { classifyS3Error, type ErrorContext } from './classify-error'
import { withContentMd5 } from './content-md5'
import type { ControlConnection } from './s3-client'

/** DeleteObjects takes at most 1,000 keys per request (S3 and OBS alike). */
export const DELETE_BATCH = 1000
/** Failures listed one by one; beyond this only their number. */
const MAX_LISTED_FAILURES = 1000
/** Errors that will fail every further batch the same way: stop instead of sending the rest. */
const STOPPING_CODES = new Set([
  'BAD_CREDENTIALS',
  'NO_SUCH_BUCKET',
  'ENDPOINT_UNREACHABLE',
  'TLS_FAILURE',
  'CLOCK_SKEW',
  'NETWORK',
])

/** Whether the bucket keeps versions; a delete there writes a delete marker and the old versions stay. */
export async function bucketVersioning(
  s3: S3Client,
  bucket: string,
  context: ErrorContext = {},
): Promise<BucketVersioning> {
  try {
    const answer = await s3.send(new (await s3Sdk()).GetBucketVersioningCommand({ Bucket: bucket }))
    if (answer.Status === 'Enabled') return 'enabled'
    if (answer.Status === 'Suspended') return 'suspended'
    return 'disabled'
  } catch (error) {
    const classified = classifyS3Error(error, { ...context, bucket })
    if (STOPPING_CODES.has(classified.code)) throw classified
    return 'unknown'
  }
}

function validPrefixes(prefixes: string[]): string[] {
  for (const prefix of prefixes) {
    if (!prefix.endsWith('/') || prefix === '/' || prefix.startsWith('/')) {
      throw new AppError('INVALID_ARGUMENT', `"${prefix}" is not a folder (a folder ends with "/").`, {
        params: { rule: 'folderPrefix', prefix },
      })
    }
  }
  return [...new Set(prefixes)]
}

/** Keys named one by one that no folder being deleted already covers (each key is sent once). */
function separateKeys(targets: DeleteTargets, prefixes: string[]): string[] {
  return [...new Set(targets.keys)].filter((key) => !prefixes.some((p) => key.startsWith(p)))
}

/** Counts what a delete would remove, folder by folder, before the user confirms. */
export async function planDeletion(
  connection: ControlConnection,
  bucket: string,
  targets: DeleteTargets,
  context: ErrorContext = {},
): Promise<DeletePlan> {
  const prefixes = validPrefixes(targets.prefixes)
  const keys = separateKeys(targets, prefixes)
  const folders: DeletePlan['folders'] = []
  for (const prefix of prefixes) {
    let objectCount = 0
    for await (const _ of walkObjects(connection, bucket, prefix, context)) objectCount++
    folders.push({ prefix, objectCount })
  }
  const total = keys.length + folders.reduce((sum, f) => sum + f.objectCount, 0)
  return {
    objectCount: keys.length,
    folders,
    total,
    versioning: await bucketVersioning(connection.s3, bucket, context),
  }
}

interface Tally {
  deleted: number
  deleteMarkers: number
  failures: DeleteFailure[]
  failedCount: number
}

function fail(tally: Tally, failure: DeleteFailure): void {
  tally.failedCount++
  if (tally.failures.length < MAX_LISTED_FAILURES) tally.failures.push(failure)
}

/** One DeleteObjects request; counts what the server says it deleted and refused, key by key. */
async function deleteBatch(
  s3: S3Client,
  bucket: string,
  keys: string[],
  tally: Tally,
  context: ErrorContext,
): Promise<void> {
  const { DeleteObjectsCommand } = await s3Sdk()
  let answer: DeleteObjectsCommandOutput
  try {
    answer = await s3.send(
      withContentMd5(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: false },
        }),
      ),
    )
  } catch (error) {
    const classified = classifyS3Error(error, { ...context, bucket })
    if (STOPPING_CODES.has(classified.code)) throw classified
    for (const key of keys) fail(tally, { key, code: classified.code, message: classified.message })
    return
  }
  const confirmed = new Set<string>()
  for (const d of answer.Deleted ?? []) {
    if (d.Key === undefined) continue
    confirmed.add(d.Key)
    tally.deleted++
    if (d.DeleteMarker) tally.deleteMarkers++
  }
  for (const e of answer.Errors ?? []) {
    if (e.Key === undefined) continue
    confirmed.add(e.Key)
    fail(tally, {
      key: e.Key,
      code: e.Code ?? 'Error',
      message: e.Message ?? 'The server refused to delete it.',
    })
  }
  // A key the answer does not mention was not confirmed deleted: never count it as done.
  for (const key of keys) {
    if (!confirmed.has(key)) {
      fail(tally, { key, code: 'NOT_CONFIRMED', message: 'The server did not confirm this delete.' })
    }
  }
}

/**
 * Deletes the keys, then each folder page by page (one listing page = one DeleteObjects batch of up to 1,000),
 * reporting progress after every batch. Keys the server refuses are listed with its reason; the rest goes on.
 * An error that would fail every further batch (no bucket, bad credentials, no network) stops the delete and
 * says how many objects were already deleted.
 */
export async function deleteObjects(
  connection: ControlConnection,
  bucket: string,
  targets: DeleteTargets,
  onProgress: (progress: Omit<DeleteProgress, 'operationId'>) => void,
  context: ErrorContext = {},
): Promise<DeleteResult> {
  const prefixes = validPrefixes(targets.prefixes)
  const keys = separateKeys(targets, prefixes)
  const versioning = await bucketVersioning(connection.s3, bucket, context)
  const tally: Tally = { deleted: 0, deleteMarkers: 0, failures: [], failedCount: 0 }
  const report = (done: boolean) => onProgress({ deleted: tally.deleted, failed: tally.failedCount, done })
  try {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      await deleteBatch(connection.s3, bucket, keys.slice(i, i + DELETE_BATCH), tally, context)
      report(false)
    }
    for (const prefix of prefixes) await deleteFolder(connection, bucket, prefix, tally, report, context)
  } catch (error) {
    report(true)
    const classified = classifyS3Error(error, { ...context, bucket })
    if (tally.deleted === 0) throw classified
    throw new AppError(
      classified.code,
      `Stopped after deleting ${tally.deleted.toLocaleString('en')} objects: ${classified.message}`,
      { cause: error, params: { cause: 'deleteStopped', bucket, deleted: tally.deleted } },
    )
  }
  report(true)
  return { ...tally, versioning }
}

async function deleteFolder(
  connection: ControlConnection,
  bucket: string,
  prefix: string,
  tally: Tally,
  report: (done: boolean) => void,
  context: ErrorContext,
): Promise<void> {
  let token: string | undefined
  do {
    const page = await listObjectPage(connection, bucket, { prefix, continuationToken: token }, context)
    const keys = page.objects.map((o) => o.key)
    if (keys.length) {
      await deleteBatch(connection.s3, bucket, keys, tally, context)
      report(false)
    }
    token = page.nextToken
  } while (token)
}
