import type { S3Client } from '@aws-sdk/client-s3'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { listObjectPage } from './browse'
import { classifyS3Error, type ErrorContext } from './classify-error'

/** The key of a new folder `name` inside `prefix`: `prefix/name/`, refusing names S3 tools cannot show as one folder. */
export function folderKey(prefix: string, name: string): string {
  const trimmed = name.trim()
  if (!trimmed) throw new AppError('INVALID_ARGUMENT', 'A folder needs a name.')
  if (trimmed.includes('/')) {
    throw new AppError('INVALID_ARGUMENT', 'A folder name cannot contain "/": create one level at a time.')
  }
  if (trimmed === '.' || trimmed === '..') {
    throw new AppError('INVALID_ARGUMENT', `"${trimmed}" cannot be a folder name.`)
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new AppError('INVALID_ARGUMENT', 'A folder name cannot contain control characters.')
  }
  const parent = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
  const key = `${parent}${trimmed}/`
  if (Buffer.byteLength(key) > 1024) {
    throw new AppError('INVALID_ARGUMENT', 'The folder path is longer than the 1,024 bytes a key may have.')
  }
  return key
}

/**
 * Creates a folder the way the OBS and S3 consoles do: a zero-byte object whose key ends in `/`. Refuses a
 * folder that already exists (a marker or any object under that prefix), so nothing is overwritten.
 */
export async function createFolder(
  s3: S3Client,
  bucket: string,
  prefix: string,
  name: string,
  context: ErrorContext = {},
): Promise<{ key: string }> {
  const key = folderKey(prefix, name)
  const existing = await listObjectPage(s3, bucket, { prefix: key, pageSize: 1 }, context)
  if (existing.objects.length > 0) {
    throw new AppError('INVALID_ARGUMENT', `A folder "${key}" already exists in "${bucket}".`)
  }
  try {
    const answer = await s3.send(
      new (await s3Sdk()).PutObjectCommand({ Bucket: bucket, Key: key, Body: '', ContentLength: 0 }),
    )
    if (!answer.ETag) {
      throw new AppError('REQUEST_REFUSED', `The server did not confirm the folder "${key}" (no ETag).`)
    }
    return { key }
  } catch (error) {
    throw classifyS3Error(error, { ...context, bucket, key })
  }
}
