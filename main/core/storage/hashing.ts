import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export interface FileDigests {
  sha256Hex: string
  md5Base64: string
  size: number
}

/** SHA-256 (our change detection and the object metadata) and MD5 (Content-MD5) of a file in one read. */
export async function digestFile(path: string, signal?: AbortSignal): Promise<FileDigests> {
  const sha256 = createHash('sha256')
  const md5 = createHash('md5')
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) {
    sha256.update(chunk as Buffer)
    md5.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256Hex: sha256.digest('hex'), md5Base64: md5.digest('base64'), size }
}

export function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64')
}

export function digestBuffer(data: Buffer): FileDigests {
  return {
    sha256Hex: createHash('sha256').update(data).digest('hex'),
    md5Base64: createHash('md5').update(data).digest('base64'),
    size: data.length,
  }
}
