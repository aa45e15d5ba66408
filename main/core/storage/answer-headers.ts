import type { S3Client } from '@aws-sdk/client-s3'
import type { HttpResponse } from '@smithy/types'

/**
 * Sends an SDK command and keeps the raw response headers next to its parsed output. The SDK parses only the S3
 * names (x-amz-server-side-encryption...); OBS may answer with its own (x-obs-...), and what the server answered
 * is what an upload is verified on.
 */
export async function sendReadingHeaders<Output>(
  s3: S3Client,
  // biome-ignore lint/suspicious/noExplicitAny: any SDK command; its output type is the caller's
  command: any,
  options: { abortSignal?: AbortSignal } = {},
): Promise<{ output: Output; headers: Record<string, string> }> {
  let headers: Record<string, string> = {}
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
      const result = await next(args)
      headers = (result.response as HttpResponse).headers ?? {}
      return result
    },
    { step: 'deserialize', name: 'obsSyncAnswerHeaders' },
  )
  const output = (await s3.send(command, options)) as Output
  return { output, headers }
}
