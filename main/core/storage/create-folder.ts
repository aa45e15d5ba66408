import type { ErrorParams } from '../../../preload/contract/errors'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { listObjectPage } from './browse'
import { classifyS3Error, type ErrorContext } from './classify-error'
import type { ControlConnection } from './s3-client'

/** A folder name refused, with the rule it breaks (errorRules.*: worded in the window's language). */
function refused(message: string, params: ErrorParams): AppError {
  return new AppError('INVALID_ARGUMENT', message, { params })
}

/** The key of a new folder `name` inside `prefix`: `prefix/name/`, refusing names S3 tools cannot show as one folder. */
export function folderKey(prefix: string, name: string): string {
  const trimmed = name.trim()
  if (!trimmed) throw refused('A folder needs a name.', { rule: 'folderNameEmpty' })
  if (trimmed.includes('/')) {
    throw refused('A folder name cannot contain "/": create one level at a time.', {
      rule: 'folderNameSlash',
    })
  }
  if (trimmed === '.' || trimmed === '..') {
    throw refused(`"${trimmed}" cannot be a folder name.`, { rule: 'folderNameDots', name: trimmed })
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw refused('A folder name cannot contain control characters.', { rule: 'folderNameControl' })
  }
  const parent = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
  const key = `${parent}${trimmed}/`
  if (Buffer.byteLength(key) > 1024) {
    throw refused('The folder path is longer than the 1,024 bytes a key may have.', {
      rule: 'folderPathTooLong',
    })
  }
  return key
}

/**
 * Creates a folder the way the OBS and S3 consoles do: a zero-byte object whose key ends in `/`. Refuses a
 * folder that already exists (a marker or any object under that prefix), so nothing is overwritten.
 */
export async function createFolder(
  connection: ControlConnection,
  bucket: string,
  prefix: string,
  name: string,
  context: ErrorContext = {},
): Promise<{ key: string }> {
  const key = folderKey(prefix, name)
  const existing = await listObjectPage(connection, bucket, { prefix: key, pageSize: 1 }, context)
  if (existing.objects.length > 0) {
    throw new AppError('INVALID_ARGUMENT', `A folder "${key}" already exists in "${bucket}".`, {
      params: { cause: 'folderExists', key, bucket },
    })
  }
  try {
    const answer = await connection.s3.send(
      new (await s3Sdk()).PutObjectCommand({ Bucket: bucket, Key: key, Body: '', ContentLength: 0 }),
    )
    if (!answer.ETag) {
      throw new AppError('REQUEST_REFUSED', `The server did not confirm the folder "${key}" (no ETag).`, {
        params: { cause: 'serverUnconfirmed', key },
      })
    }
    return { key }
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket, key })
  }
}
