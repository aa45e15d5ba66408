import { readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { makeFolders } from './make-folders'

/** Reads a JSON file; a missing file yields `fallback`. */
export async function readJsonFile(path: string, fallback: unknown): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw error
  }
}

/**
 * Writes a JSON file atomically (temp file + rename), so a crash mid-write leaves the old file whole.
 * Mode 600: config holds no secret, but it is the user's business which buckets they use.
 */
export async function writeJsonFileAtomic(path: string, value: unknown): Promise<void> {
  await makeFolders(dirname(path), 0o700)
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, path)
}
