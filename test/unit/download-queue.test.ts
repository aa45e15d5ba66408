import { mkdtemp, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { createDownloadQueue } from '../../main/core/downloads/download-queue'
import type { DownloadFunction } from '../../main/core/downloads/fetch-object'
import { uniqueSiblingName } from '../../main/core/downloads/name-clash'
import { AppError } from '../../main/core/errors'
import type { ListObjects } from '../../main/core/storage/direct-list'
import { downloadObject } from '../../main/core/storage/download-object'
import { placeFile } from '../../main/core/storage/place-file'
import type { Account } from '../../preload/contract/models'

const account = { id: 'a', endpoint: 'https://s3.test' } as Account

/** A bucket listing of `keys` (each 10 bytes), answered to every listing the planner sends. */
function fakeListing(keys: string[]): ListObjects {
  return async (input) => {
    const prefix = input.prefix ?? ''
    const matching = keys.filter((k) => k.startsWith(prefix)).sort()
    return {
      prefix,
      folders: [],
      objects: matching.slice(0, input.maxKeys).map((key) => ({ key, size: 10 })),
    }
  }
}

function queueWith(keys: string[], download: DownloadFunction) {
  return createDownloadQueue({
    // Other requests (the HEAD before a compare) are answered without details.
    client: async () => ({
      account,
      s3: { send: async () => ({}) } as unknown as S3Client,
      listObjects: fakeListing(keys),
    }),
    customerKey: async () => ({}),
    events: { batch: () => {}, progress: () => {} },
    download,
    log: (message, error) => console.error(message, error),
    retryDelayMs: () => 1,
  })
}

describe('download queue policy (no server: the transfer is injected)', () => {
  it('retries a network failure and fails an access denial at once, with its reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlq-'))
    const calls = new Map<string, number>()
    const queue = queueWith(['f/flaky.bin', 'f/denied.bin'], async (_s3, request) => {
      const n = (calls.get(request.key) ?? 0) + 1
      calls.set(request.key, n)
      if (request.key === 'f/denied.bin')
        throw new AppError('ACCESS_DENIED', 'Access denied to f/denied.bin.')
      if (n < 3) throw new AppError('NETWORK', 'The connection dropped.')
      return { path: join(dir, request.localName as string), size: 2, sha256: '', verified: false }
    })
    const batch = await queue.waitFor(
      (await queue.start({ accountId: 'a', bucket: 'b', keys: ['f/'], targetDir: dir })).id,
    )
    expect(calls.get('f/flaky.bin')).toBe(3)
    expect(calls.get('f/denied.bin')).toBe(1)
    expect(batch).toMatchObject({ state: 'failed', filesDone: 1, filesFailed: 1 })
    expect(batch.failures[0]?.error).toEqual({
      code: 'ACCESS_DENIED',
      message: 'Access denied to f/denied.bin.',
    })
  })

  it('a selected object that is not in the bucket fails with its key and bucket as params', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlq-'))
    const queue = queueWith(['here.txt'], async (_s3, request) => ({
      path: join(dir, request.localName as string),
      size: 10,
      sha256: '',
      verified: false,
    }))
    const batch = await queue.waitFor(
      (await queue.start({ accountId: 'a', bucket: 'b', keys: ['here.txt', 'gone.txt'], targetDir: dir })).id,
    )
    expect(batch).toMatchObject({ state: 'failed', filesDone: 1, filesFailed: 1 })
    // A window words the failure from these (in de or zh-CN), not from main's English sentence.
    expect(batch.failures[0]?.error).toEqual({
      code: 'NOT_FOUND',
      message: 'There is no object "gone.txt" in b.',
      params: { key: 'gone.txt', bucket: 'b' },
    })
  })

  it('asks once for all existing files of a batch, and never starts their transfer before the answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlq-'))
    await Promise.all(['a', 'b', 'c'].map((n) => writeFile(join(dir, `${n}.txt`), 'old')))
    const started: string[] = []
    const queue = queueWith(['x/a.txt', 'x/b.txt', 'x/c.txt', 'x/d.txt'], async (_s3, request) => {
      started.push(request.localName as string)
      return { path: join(dir, request.localName as string), size: 10, sha256: '', verified: false }
    })
    const first = await queue.waitFor(
      (
        await queue.start({
          accountId: 'a',
          bucket: 'b',
          keys: ['x/a.txt', 'x/b.txt', 'x/c.txt', 'x/d.txt'],
          targetDir: dir,
        })
      ).id,
    )
    expect(first).toMatchObject({ state: 'waiting', clashes: 3, filesDone: 1 })
    expect(started).toEqual(['d.txt'])
    await queue.answer(first.id, { kind: 'on-exists', choice: 'rename' })
    expect(await queue.waitFor(first.id)).toMatchObject({ state: 'done', filesDone: 4 })
    expect(started.slice(1).sort()).toEqual(['a (1).txt', 'b (1).txt', 'c (1).txt'])
  })

  it('keeps both: the unique name skips names already taken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlq-'))
    await writeFile(join(dir, 'r.tar.gz'), '')
    await writeFile(join(dir, 'r.tar (1).gz'), '')
    expect(await uniqueSiblingName(join(dir, 'r.tar.gz'))).toBe(join(dir, 'r.tar (2).gz'))
    expect(await uniqueSiblingName(join(dir, 'noext'))).toBe(join(dir, 'noext (1)'))
  })

  it('a file that appears during the download is never replaced unless the rule is overwrite', async () => {
    for (const [rule, expected] of [
      ['rename', { names: ['a (1).txt', 'a.txt'], theirs: 'theirs', state: 'done' }],
      ['skip', { names: ['a.txt'], theirs: 'theirs', state: 'done' }],
      ['ask', { names: ['a.txt'], theirs: 'theirs', state: 'waiting' }],
      ['compare', { names: ['a.txt'], theirs: 'ours', state: 'done' }],
      ['overwrite', { names: ['a.txt'], theirs: 'ours', state: 'done' }],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'dlq-race-'))
      // The real download (temporary file, checks, final move); the server's answer arrives while another
      // program creates a file of the same name in the target folder.
      const s3 = {
        send: async (command: { input: { Key?: string } }) => {
          const target = join(dir, basename(command.input.Key as string))
          await writeFile(target, 'theirs', { flag: 'wx' }).catch(() => {})
          return { Body: Readable.from([Buffer.from('ours')]), ContentLength: 4, Metadata: {} }
        },
      } as unknown as S3Client
      const queue = queueWith(['x/a.txt'], (_s3, request, ctx) => downloadObject(s3, request, ctx))
      const batch = await queue.waitFor(
        (
          await queue.start({
            accountId: 'a',
            bucket: 'b',
            keys: ['x/a.txt'],
            targetDir: dir,
            onExists: rule,
          })
        ).id,
      )
      expect(batch.state, rule).toBe(expected.state)
      expect((await readdir(dir)).sort(), rule).toEqual(expected.names)
      expect(await readFile(join(dir, 'a.txt'), 'utf8'), rule).toBe(expected.theirs)
      if (rule === 'rename') expect(await readFile(join(dir, 'a (1).txt'), 'utf8')).toBe('ours')
    }
  })

  it('the final move without replace keeps what is there, a dangling link included, and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'place-'))
    await writeFile(join(dir, 'tmp1'), 'new')
    await symlink('/nonexistent/elsewhere', join(dir, 'link'))
    await expect(placeFile(join(dir, 'tmp1'), join(dir, 'link'), false)).rejects.toMatchObject({
      code: 'FILE_EXISTS',
    })
    expect(await readlink(join(dir, 'link'))).toBe('/nonexistent/elsewhere')
    expect(await readdir(dir)).toEqual(['link'])
    await writeFile(join(dir, 'tmp2'), 'new')
    await placeFile(join(dir, 'tmp2'), join(dir, 'fresh'), false)
    expect(await readFile(join(dir, 'fresh'), 'utf8')).toBe('new')
    expect((await readdir(dir)).sort()).toEqual(['fresh', 'link'])
  })
})
