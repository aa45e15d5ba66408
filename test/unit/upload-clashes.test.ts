import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import type { NewJob } from '../../main/core/queue/job-store'
import { createUploadClashes } from '../../main/core/queue/upload-clashes'

/** A server that answers HEAD for `existing` keys and 404 for the others, counting its requests. */
function fakeServer(existing: Record<string, number>, down = false) {
  const heads: string[] = []
  const s3 = {
    send: async (command: { input: { Key: string } }) => {
      heads.push(command.input.Key)
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
      const size = existing[command.input.Key]
      if (size === undefined)
        throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } })
      return { ContentLength: size, LastModified: new Date(), Metadata: {} }
    },
  } as unknown as S3Client
  const clashes = createUploadClashes(async () => ({ account: { endpoint: 'https://s3.test' }, s3 }))
  return { clashes, heads }
}

async function jobsFor(names: string[]): Promise<NewJob[]> {
  const dir = await mkdtemp(join(tmpdir(), 'clash-'))
  return Promise.all(
    names.map(async (name) => {
      await writeFile(join(dir, name), 'x')
      return {
        accountId: 'a',
        bucket: 'b',
        key: `k/${name}`,
        sourcePath: join(dir, name),
        size: 1,
        mtimeMs: 0,
      } as NewJob
    }),
  )
}

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
    const add = (jobs: NewJob[]) => {
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

  it('a server that cannot be asked: compare queues the files, skip queues nothing and says why', async () => {
    const jobs = await jobsFor(Array.from({ length: 40 }, (_, i) => `f${i}.txt`))
    const compare = fakeServer({}, true)
    expect((await compare.clashes.decide('a', 'b', jobs, 'compare')).queue).toHaveLength(40)
    const skip = fakeServer({}, true)
    await expect(skip.clashes.decide('a', 'b', jobs, 'skip')).rejects.toMatchObject({
      code: 'ENDPOINT_UNREACHABLE',
      message: expect.stringMatching(
        /^Could not check which objects already exist in "b", so nothing was queued: /,
      ),
    })
    // The first refusal stops the others from being sent.
    expect(skip.heads.length).toBeLessThanOrEqual(8)
    const overwrite = fakeServer({}, true)
    expect((await overwrite.clashes.decide('a', 'b', jobs, 'overwrite')).queue).toHaveLength(40)
    expect(overwrite.heads).toEqual([])
  })
})
