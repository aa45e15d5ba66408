import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import type { NewJob } from '../../main/core/queue/job-store'
import { commonFolder, createUploadClashes } from '../../main/core/queue/upload-clashes'
import type { ListObjects } from '../../main/core/storage/direct-list'

type Command = { constructor: { name: string }; input: Record<string, string | number | undefined> }

/**
 * A server that answers HEAD for `existing` keys (size) and 404 for the others, and a listing in pages of
 * up to max-keys sorted keys as S3 does, counting its requests. `down`: every request fails to connect; `noList`: the
 * account may HEAD but not list (403), as S3 allows.
 */
function fakeServer(
  existing: Record<string, number>,
  options: { down?: boolean; noList?: boolean; kmsKeyId?: string } = {},
) {
  const heads: string[] = []
  const lists: string[] = []
  const refuseIfDown = () => {
    if (options.down)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
  }
  const s3 = {
    send: async (command: Command) => {
      heads.push(String(command.input.Key))
      refuseIfDown()
      const size = existing[String(command.input.Key)]
      if (size === undefined)
        throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } })
      const kms = options.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: options.kmsKeyId } : {}
      return { ContentLength: size, LastModified: new Date(), Metadata: {}, ...kms }
    },
  } as unknown as S3Client
  const listObjects: ListObjects = async (input) => {
    lists.push(input.prefix ?? '')
    refuseIfDown()
    if (options.noList)
      throw Object.assign(new Error('AccessDenied'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      })
    const all = Object.keys(existing)
      .filter((k) => k.startsWith(input.prefix ?? ''))
      .sort()
    const from = Number(input.continuationToken ?? 0)
    const page = all.slice(from, from + input.maxKeys)
    const more = from + input.maxKeys < all.length
    return {
      prefix: input.prefix ?? '',
      folders: [],
      objects: page.map((key) => ({ key, size: existing[key] ?? 0, lastModified: new Date().toISOString() })),
      nextToken: more ? String(from + input.maxKeys) : undefined,
    }
  }
  const clashes = createUploadClashes(async () => ({
    account: { endpoint: 'https://s3.test' },
    s3,
    listObjects,
  }))
  return { clashes, heads, lists }
}

async function jobsFor(
  names: string[],
  prefix = 'k',
  choice: NewJob['encryption']['choice'] = { mode: 'none' },
): Promise<NewJob[]> {
  const dir = await mkdtemp(join(tmpdir(), 'clash-'))
  return Promise.all(
    names.map(async (name) => {
      await writeFile(join(dir, name), 'x')
      return {
        accountId: 'a',
        bucket: 'b',
        key: `${prefix}/${name}`,
        sourcePath: join(dir, name),
        size: 1,
        mtimeMs: 0,
        encryption: { choice, source: 'explicit' },
      } as NewJob
    }),
  )
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `f${i}.txt`)

describe('uploads onto existing objects (no server: HEAD answered by a fake)', () => {
  it('ask holds only the clashing files; one answer applies to every held batch, once', async () => {
    const { clashes } = fakeServer({ 'k/a.txt': 5, 'k/a (1).txt': 5, 'k/b.txt': 5 })
    const first = await clashes.decide('a', 'b', await jobsFor(['a.txt', 'new.txt']), 'ask')
    expect(first.queue.map((j) => j.key)).toEqual(['k/new.txt'])
    expect(first.asking.map((j) => j.key)).toEqual(['k/a.txt'])
    const second = await clashes.decide('a', 'b', await jobsFor(['b.txt']), 'ask')
    const held = [clashes.hold('a', 'b', first.asking), clashes.hold('a', 'b', second.asking)]
    expect(held[0]).toMatchObject({ count: 1, examples: ['k/a.txt'] })

    const queued: string[] = []
    const add = async (jobs: NewJob[]) => {
      queued.push(...jobs.map((j) => j.key))
      return jobs.map((_, i) => i)
    }
    const ids = held.flatMap((h) => h.ids)
    await clashes.answer({ ids, choice: 'rename' }, add)
    // "a (1).txt" is taken too: the next free name.
    expect(queued).toEqual(['k/a (2).txt', 'k/b (1).txt'])
    await expect(clashes.answer({ ids, choice: 'overwrite' }, add)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/already answered/),
    })
  })

  it('an answer naming the same question twice queues its files once', async () => {
    const { clashes } = fakeServer({ 'k/a.txt': 5 })
    const decided = await clashes.decide('a', 'b', await jobsFor(['a.txt']), 'ask')
    const { ids } = clashes.hold('a', 'b', decided.asking)
    const queued: string[] = []
    const result = await clashes.answer({ ids: [...ids, ...ids], choice: 'rename' }, async (jobs) => {
      queued.push(...jobs.map((j) => j.key))
      return jobs.map((_, i) => i)
    })
    expect(queued).toEqual(['k/a (1).txt'])
    expect(result.jobIds).toHaveLength(1)
  })

  it('a server that cannot be asked: compare queues the files, skip queues nothing and says why', async () => {
    const jobs = await jobsFor(names(40))
    const compare = fakeServer({}, { down: true })
    expect((await compare.clashes.decide('a', 'b', jobs, 'compare')).queue).toHaveLength(40)
    const skip = fakeServer({}, { down: true })
    await expect(skip.clashes.decide('a', 'b', jobs, 'skip')).rejects.toMatchObject({
      code: 'ENDPOINT_UNREACHABLE',
      message: expect.stringMatching(
        /^Could not check which objects already exist in "b", so nothing was queued: /,
      ),
    })
    // The first refusal stops the others from being sent.
    expect(skip.heads.length + skip.lists.length).toBeLessThanOrEqual(8)
    const overwrite = fakeServer({}, { down: true })
    expect((await overwrite.clashes.decide('a', 'b', jobs, 'overwrite')).queue).toHaveLength(40)
    expect([...overwrite.heads, ...overwrite.lists]).toEqual([])
  })

  it('2,000 files into one folder cost one listing per 1,000 objects there, not a HEAD each', async () => {
    // 1,500 of the 2,000 files are there already: 500 with another size, 1,000 with the same size.
    const existing: Record<string, number> = { 'elsewhere/x.txt': 1 }
    for (let i = 0; i < 1500; i++) existing[`k/f${i}.txt`] = i < 500 ? 7 : 1
    const jobs = await jobsFor(names(2000))

    const compare = fakeServer(existing)
    const compared = await compare.clashes.decide('a', 'b', jobs, 'compare')
    expect(compare.lists).toEqual(['k/', 'k/'])
    // A HEAD only where the sizes match (only it shows our SHA-256 or tells an SSE-C object).
    expect(compare.heads).toHaveLength(1000)
    // Same size, no SHA-256, object newer than the file: kept; the other sizes and the new files go.
    expect(compared.kept).toHaveLength(1000)
    // Why, as data a window words in its language (keptReasons.*); the English reason for the CLI.
    expect(compared.kept[0]).toMatchObject({
      why: 'sameContent',
      reason: 'the same content is already there',
    })
    expect(compared.queue).toHaveLength(1000)

    const skip = fakeServer(existing)
    const skipped = await skip.clashes.decide('a', 'b', jobs, 'skip')
    expect(skip.heads).toEqual([])
    expect(skipped.kept).toHaveLength(1500)
    expect(skipped.kept[0]).toMatchObject({
      why: 'exists',
      reason: 'an object of that name is already there',
    })
    expect(skipped.queue.map((j) => j.key)).toEqual(jobs.slice(1500).map((j) => j.key))

    const ask = fakeServer(existing)
    const asked = await ask.clashes.decide('a', 'b', jobs, 'ask')
    expect(ask.heads).toEqual([])
    expect(asked.asking).toHaveLength(1500)
    expect(asked.queue).toHaveLength(500)
  })

  it('keep both from a listing: the next free name among the listed siblings and the batch itself', async () => {
    const existing: Record<string, number> = { 'k/f0.txt': 1, 'k/f0 (1).txt': 1, 'k/f1.txt': 1 }
    const jobs = await jobsFor([...names(20), 'f1 (1).txt'])
    const { clashes, heads, lists } = fakeServer(existing)
    const decided = await clashes.decide('a', 'b', jobs, 'rename')
    expect(lists).toEqual(['k/'])
    expect(heads).toEqual([])
    const keys = decided.queue.map((j) => j.key)
    expect(keys).toContain('k/f0 (2).txt')
    // "f1 (1).txt" is a file of this upload: the renamed f1.txt must not land on it.
    expect(keys).toContain('k/f1 (2).txt')
    expect(keys).toContain('k/f1 (1).txt')
    expect(keys).toHaveLength(21)
  })

  it('a folder far larger than the upload: a listing of each key; no permission to list: a HEAD per file', async () => {
    const existing: Record<string, number> = {}
    for (let i = 0; i < 5000; i++) existing[`k/old-${String(i).padStart(5, '0')}`] = 1
    existing['k/f3.txt'] = 1
    existing['k/f30.txt'] = 1 // begins with "k/f3.txt"'s name: the listing of one key must not take it for it
    const jobs = await jobsFor(names(20))
    const big = fakeServer(existing)
    const decided = await big.clashes.decide('a', 'b', jobs, 'skip')
    // 20 files may cost 2,000 listed keys: two pages of the folder, then one listing of each key.
    expect(big.lists).toHaveLength(22)
    expect(big.lists.slice(2).sort()).toEqual(jobs.map((j) => j.key).sort())
    expect(big.heads).toEqual([])
    expect(decided.kept.map((k) => k.key)).toEqual(['k/f3.txt'])

    const denied = fakeServer({ 'k/f3.txt': 1 }, { noList: true })
    const fromHeads = await denied.clashes.decide('a', 'b', jobs, 'skip')
    // The folder's listing was refused: no listing of single keys is tried.
    expect(denied.lists).toEqual(['k/'])
    expect(denied.heads).toHaveLength(20)
    expect(fromHeads.kept.map((k) => k.key)).toEqual(['k/f3.txt'])
  })

  it('compare keeps an object with the same content only when it holds the KMS key this upload asks for', async () => {
    const server = fakeServer({ 'k/f0.txt': 1 }, { kmsKeyId: 'key-a' })
    const sameKey = await jobsFor(names(1), 'k', { mode: 'sse-kms', keyId: 'key-a' })
    expect((await server.clashes.decide('a', 'b', sameKey, 'compare')).kept).toHaveLength(1)
    const otherKey = await jobsFor(names(1), 'k', { mode: 'sse-kms', keyId: 'key-b' })
    const resent = await server.clashes.decide('a', 'b', otherKey, 'compare')
    expect(resent.kept).toEqual([])
    expect(resent.queue.map((j) => j.key)).toEqual(['k/f0.txt'])
    const plain = fakeServer({ 'k/f0.txt': 1 })
    const wantsKms = await plain.clashes.decide('a', 'b', sameKey, 'compare')
    expect(wantsKms.queue.map((j) => j.key)).toEqual(['k/f0.txt'])
  })

  it('a few files: a listing of each key, no HEAD (the SDK client a HEAD needs is never loaded)', async () => {
    const { clashes, heads, lists } = fakeServer({ 'k/f1.txt': 1, 'k/f1.txt.bak': 1, 'k/f2.txt.bak': 1 })
    const decided = await clashes.decide('a', 'b', await jobsFor(names(3)), 'skip')
    expect(lists.sort()).toEqual(['k/f0.txt', 'k/f1.txt', 'k/f2.txt'])
    expect(heads).toEqual([])
    // "f2.txt.bak" begins with "f2.txt" but is another object.
    expect(decided.kept.map((k) => k.key)).toEqual(['k/f1.txt'])
  })

  it('a few files, keep both: the free name is found by listings of the candidate keys', async () => {
    const { clashes, heads, lists } = fakeServer({ 'k/f0.txt': 1, 'k/f0 (1).txt': 1 })
    const decided = await clashes.decide('a', 'b', await jobsFor(names(1)), 'rename')
    expect(decided.queue.map((j) => j.key)).toEqual(['k/f0 (2).txt'])
    expect(lists).toEqual(['k/f0.txt', 'k/f0 (1).txt', 'k/f0 (2).txt'])
    expect(heads).toEqual([])
  })

  it('a few files under compare: a HEAD only where an object of the same size is there', async () => {
    const { clashes, heads } = fakeServer({ 'k/f0.txt': 1, 'k/f1.txt': 5 })
    await clashes.decide('a', 'b', await jobsFor(names(3)), 'compare')
    expect(heads).toEqual(['k/f0.txt'])
  })

  it('a few files, the account may not list: one refused listing at most per file in flight, then HEADs', async () => {
    const { clashes, heads, lists } = fakeServer({ 'k/f1.txt': 1 }, { noList: true })
    const decided = await clashes.decide('a', 'b', await jobsFor(names(12)), 'skip')
    expect(decided.kept.map((k) => k.key)).toEqual(['k/f1.txt'])
    expect(heads).toHaveLength(12)
    expect(lists.length).toBeLessThanOrEqual(8)
  })

  it('the listed folder is the keys\' common folder, cut at its last "/"', () => {
    expect(commonFolder(['p/d/a.txt', 'p/d/ab.txt'])).toBe('p/d/')
    expect(commonFolder(['p/d/a.txt', 'p/e/a.txt'])).toBe('p/')
    expect(commonFolder(['a.txt', 'b.txt'])).toBe('')
    expect(commonFolder(['p/d/a.txt'])).toBe('p/d/')
  })
})
