import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** `count` files f0.bin, f1.bin, ... of `size` random bytes in a fresh temp folder, with each name's SHA-256. */
export async function randomFiles(
  prefix: string,
  count: number,
  size: number,
): Promise<{ dir: string; hashes: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  const hashes = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    const data = randomBytes(size)
    await writeFile(join(dir, `f${i}.bin`), data)
    hashes.set(`f${i}.bin`, createHash('sha256').update(data).digest('hex'))
  }
  return { dir, hashes }
}
