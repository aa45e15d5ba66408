import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'

/** Our SHA-256 of a file's content (change detection, the object metadata) and its size. */
export interface FileHash {
  sha256Hex: string
  size: number
}

/** With the MD5 a single PUT sends as Content-MD5. */
export interface FileDigests extends FileHash {
  md5Base64: string
}

const CHUNK_BYTES = 1024 * 1024

/**
 * SHA-256 of a file in one read. No whole-file MD5: nothing sends one for a file read from disk (a single PUT hashes
 * the bytes it holds in memory, multipart sends an MD5 per part), and it cost a quarter of the read's CPU.
 * The next 1 MiB is read (on libuv's thread pool) while this one is hashed: a multipart upload waits for this
 * hash before its first part, and reading ahead took it from ~545 to ~365 ms for 512 MiB in the page cache.
 */
export async function digestFile(path: string, signal?: AbortSignal): Promise<FileHash> {
  const sha256 = createHash('sha256')
  let size = 0
  // Two 1 MiB buffers read into again and again: a read stream allocates a new one per chunk, and the garbage of
  // a 512 MiB file kept the process's memory ~30 MB higher until the collector caught up.
  const buffers: readonly [Buffer, Buffer] = [
    Buffer.allocUnsafeSlow(CHUNK_BYTES),
    Buffer.allocUnsafeSlow(CHUNK_BYTES),
  ]
  const file = await open(path, 'r')
  let reading = file.read(buffers[0], 0, CHUNK_BYTES, null)
  try {
    // One read at a time is on its way, into the buffer not being hashed.
    for (let next = 1; ; next ^= 1) {
      const { bytesRead, buffer } = await reading
      signal?.throwIfAborted()
      if (bytesRead === 0) break
      reading = file.read(buffers[next as 0 | 1], 0, CHUNK_BYTES, null)
      sha256.update(buffer.subarray(0, bytesRead))
      size += bytesRead
    }
  } finally {
    await file.close()
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
