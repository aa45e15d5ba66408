import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** Our SHA-256 of a file's content (change detection, the object metadata) and its size. */
export interface FileHash {
  sha256Hex: string
  size: number
}

/** With the MD5 a single PUT sends as Content-MD5. */
export interface FileDigests extends FileHash {
  md5Base64: string
}

/**
 * SHA-256 of a file in one read. No whole-file MD5: nothing sends one for a file read from disk (a single PUT hashes
 * the bytes it holds in memory, multipart sends an MD5 per part), and it cost a quarter of the read's CPU.
 */
export async function digestFile(path: string, signal?: AbortSignal): Promise<FileHash> {
  const sha256 = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) {
    sha256.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256Hex: sha256.digest('hex'), size }
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
