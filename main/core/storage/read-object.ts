import type { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import type { SseReadParams } from '../encryption/sse-headers'
import { AppError } from '../errors'
import { s3Sdk } from '../sdk'
import { classifyS3Error, type ErrorContext } from './classify-error'

export interface ObjectStream {
  body: Readable
  size: number
  contentType?: string
}

/**
 * Opens an object for streaming to someone else (the web UI's browser download): nothing is written locally.
 * An SSE-C object needs its customer key; without one the server refuses and the caller is told which error.
 */
export async function openObjectStream(
  s3: S3Client,
  bucket: string,
  key: string,
  sseC: SseReadParams,
  context: ErrorContext = {},
  signal?: AbortSignal,
): Promise<ObjectStream> {
  try {
    const answer = await s3.send(
      new (await s3Sdk()).GetObjectCommand({ Bucket: bucket, Key: key, ...sseC }),
      {
        abortSignal: signal,
      },
    )
    return {
      body: answer.Body as Readable,
      size: Number(answer.ContentLength ?? 0),
      contentType: answer.ContentType,
    }
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 400 && !sseC.SSECustomerKey) {
      throw new AppError(
        'SSE_C_KEY_REQUIRED',
        `"${key}" is encrypted with a customer key (SSE-C); choose its key.`,
        { params: { key } },
      )
    }
    throw classifyS3Error(error, { ...context, bucket, key })
  }
}
