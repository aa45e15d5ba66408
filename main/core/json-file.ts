import { readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { makeFolders } from './make-folders'

/**
 * Reads a JSON file; a missing file yields `fallback`. A file that is not JSON (cut short, edited by hand) yields
 * undefined, which no file's schema accepts: the caller says which file is damaged, as for a wrong shape, instead
 * of "something went wrong".
 */
export async function readJsonFile(path: string, fallback: unknown): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw error
  }
  try {
    return JSON.parse(text)
  } catch {
    return undefined
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
