import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { type SyncPair, type SyncPairInput, syncPairSchema } from '../../../preload/contract/sync-models'
import { normalizePrefix } from '../../../preload/contract/target-prefix'
import { AppError } from '../errors'
import { readJsonFile, writeJsonFileAtomic } from '../json-file'

const fileSchema = z.object({ version: z.literal(1), pairs: z.array(syncPairSchema) })

/** A watched folder asked for by an id that no longer is one (removed in another window meanwhile). */
export function pairGone(id: string): AppError {
  return new AppError('NOT_FOUND', `There is no watched folder "${id}".`, { params: { cause: 'pairGone' } })
}

/** Watched-folder pairs in the app config (`sync-pairs.json` in the data folder). */
export function createPairStore(dataDir: string) {
  const file = join(dataDir, 'sync-pairs.json')

  async function load(): Promise<SyncPair[]> {
    const parsed = fileSchema.safeParse(await readJsonFile(file, { version: 1, pairs: [] }))
    if (!parsed.success)
      throw new AppError(
        'INVALID_ARGUMENT',
        `The watched-folder file ${file} is damaged; fix or remove it.`,
        {
          params: { cause: 'fileDamaged', file },
        },
      )
    return parsed.data.pairs
  }
  const save = (pairs: SyncPair[]) => writeJsonFileAtomic(file, { version: 1, pairs })

  async function get(id: string): Promise<SyncPair> {
    const pair = (await load()).find((p) => p.id === id)
    if (!pair) throw pairGone(id)
    return pair
  }

  function normalize(input: SyncPairInput): SyncPairInput {
    return { ...input, localPath: resolve(input.localPath), prefix: normalizePrefix(input.prefix) }
  }

  return {
    list: load,
    get,
    async add(input: SyncPairInput): Promise<SyncPair> {
      const pairs = await load()
      const pair = syncPairSchema.parse({ ...normalize(input), id: randomUUID(), paused: false })
      if (
        pairs.some(
          (p) => p.localPath === pair.localPath && p.bucket === pair.bucket && p.prefix === pair.prefix,
        )
      ) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `${pair.localPath} is already watched into that bucket and folder.`,
          { params: { cause: 'pairExists', folder: pair.localPath } },
        )
      }
      await save([...pairs, pair])
      return pair
    },
    async update(id: string, input: SyncPairInput): Promise<SyncPair> {
      const current = await get(id)
      const updated = syncPairSchema.parse({ ...current, ...normalize(input), id, paused: current.paused })
      await save((await load()).map((p) => (p.id === id ? updated : p)))
      return updated
    },
    async setPaused(id: string, paused: boolean): Promise<SyncPair> {
      const updated = { ...(await get(id)), paused }
      await save((await load()).map((p) => (p.id === id ? updated : p)))
      return updated
    },
    async remove(id: string): Promise<void> {
      await get(id)
      await save((await load()).filter((p) => p.id !== id))
    },
  }
}

export type PairStore = ReturnType<typeof createPairStore>
