import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, runCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

/**
 * `obs-sync upload --on-exists` (issue 19, point 3, the upload side) against RGW: files whose key already exists
 * are compared (the CLI's default), skipped, sent under a unique name or overwritten; what the bucket holds
 * afterwards is read with an independent client.
 */
describe('obs-sync upload onto existing objects: --on-exists compare | skip | rename | overwrite', () => {
  let home: string
  let bucket: string
  let dir: string
  const s3 = independentClient(rgw)
  const cli = (args: string[]) => runCli(['--data-dir', home, ...args])
  const upload = (...extra: string[]) => cli(['upload', dir, '--bucket', bucket, '--prefix', 'p', ...extra])
  /** The one changed file alone, to the same key (p/d/changed.txt). */
  const uploadChanged = (...extra: string[]) =>
    cli(['upload', join(dir, 'changed.txt'), '--bucket', bucket, '--prefix', 'p/d', ...extra])
  const read = async (key: string) =>
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ??
    ''
  const keys = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort()

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-clash-home-'))
    bucket = await freshBucket(rgw, 'clash')
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    dir = join(await mkdtemp(join(tmpdir(), 'obs-sync-clash-')), 'd')
    await mkdir(dir)
    for (const [name, body] of Object.entries({
      'same.txt': 'same content',
      'other-tool.txt': 'written by another tool',
      'changed.txt': 'the new version',
      'fresh.txt': 'not in the bucket yet',
    }))
      await writeFile(join(dir, name), body)
    // Local files last changed an hour ago; the objects below are written now.
    const hourAgo = new Date(Date.now() - 3600_000)
    for (const name of ['same.txt', 'other-tool.txt', 'changed.txt', 'fresh.txt'])
      await utimes(join(dir, name), hourAgo, hourAgo)
    const put = (Key: string, Body: string, Metadata?: Record<string, string>) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, Metadata }))
    // As OBS Sync stores them: our SHA-256 in the metadata.
    await put('p/d/same.txt', 'same content', {
      sha256: createHash('sha256').update('same content').digest('hex'),
    })
    // No checksum: same size, written after the file last changed.
    await put('p/d/other-tool.txt', 'written by another tool')
    await put('p/d/changed.txt', 'the old version', {
      sha256: createHash('sha256').update('the old version').digest('hex'),
    })
  })

  it('compare (the default) keeps objects with the same content and replaces the others', async () => {
    const run = await upload()
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/kept .*p\/d\/same\.txt \(the same content is already there\)/)
    expect(run.stdout).toMatch(/kept .*p\/d\/other-tool\.txt \(the same content is already there\)/)
    expect(run.stdout.trim().split('\n').at(-1)).toBe('2 uploaded, 2 already there.')
    expect(await read('p/d/changed.txt')).toBe('the new version')
    expect(await read('p/d/fresh.txt')).toBe('not in the bucket yet')
  }, 60_000)

  it('skip keeps every existing object; rename sends the file as "name (1).ext"; overwrite replaces', async () => {
    await writeFile(join(dir, 'changed.txt'), 'a third version')
    const skipped = await upload('--on-exists', 'skip')
    expect(skipped.code).toBe(0)
    expect(skipped.stdout).toMatch(/kept .*p\/d\/changed\.txt \(an object of that name is already there\)/)
    expect(await read('p/d/changed.txt')).toBe('the new version')

    const renamed = await uploadChanged('--on-exists', 'rename')
    expect(renamed.code).toBe(0)
    expect(await read('p/d/changed.txt')).toBe('the new version')
    expect(await read('p/d/changed (1).txt')).toBe('a third version')

    await writeFile(join(dir, 'changed.txt'), 'a fourth version')
    const again = await uploadChanged('--on-exists', 'rename')
    expect(again.code).toBe(0)
    expect(await read('p/d/changed (2).txt')).toBe('a fourth version')

    await writeFile(join(dir, 'changed.txt'), 'the last version')
    const overwritten = await uploadChanged('--on-exists', 'overwrite')
    expect(overwritten.code).toBe(0)
    expect(await read('p/d/changed.txt')).toBe('the last version')
    expect(await keys()).toEqual([
      'p/d/changed (1).txt',
      'p/d/changed (2).txt',
      'p/d/changed.txt',
      'p/d/fresh.txt',
      'p/d/other-tool.txt',
      'p/d/same.txt',
    ])
  }, 120_000)

  it('20 files into one folder (one listing, not a HEAD each): compare and rename decide as for a few', async () => {
    const many = join(await mkdtemp(join(tmpdir(), 'obs-sync-clash-many-')), 'many')
    await mkdir(many)
    const hourAgo = new Date(Date.now() - 3600_000)
    const name = (i: number) => `m-${String(i).padStart(2, '0')}.txt`
    for (let i = 0; i < 20; i++) {
      await writeFile(join(many, name(i)), `file ${String(i).padStart(2, '0')}`)
      await utimes(join(many, name(i)), hourAgo, hourAgo)
    }
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
    const put = (Key: string, Body: string, Metadata?: Record<string, string>) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, Metadata }))
    await put('q/many/m-00.txt', 'file 00', { sha256: sha256('file 00') })
    await put('q/many/m-01.txt', 'FILE 01')
    await put('q/many/m-02.txt', 'file XX', { sha256: sha256('file XX') })
    await put('q/many/m-03 (1).txt', 'taken')
    const uploadMany = (...extra: string[]) =>
      cli(['upload', many, '--bucket', bucket, '--prefix', 'q', ...extra])

    const compared = await uploadMany()
    expect(compared.code).toBe(0)
    expect(compared.stdout).toMatch(/kept .*q\/many\/m-00\.txt \(the same content is already there\)/)
    // Same size, no SHA-256, written after the file changed: taken for the same content, as with a HEAD.
    expect(compared.stdout).toMatch(/kept .*q\/many\/m-01\.txt \(the same content is already there\)/)
    expect(compared.stdout.trim().split('\n').at(-1)).toBe('18 uploaded, 2 already there.')
    expect(await read('q/many/m-02.txt')).toBe('file 02')
    expect(await read('q/many/m-19.txt')).toBe('file 19')

    // Every file changes (files uploaded unchanged before are not sent again at all, whatever the rule).
    for (let i = 0; i < 20; i++) await writeFile(join(many, name(i)), `file ${String(i).padStart(2, '0')} v2`)
    const renamed = await uploadMany('--on-exists', 'rename')
    expect(renamed.code).toBe(0)
    // Every key exists now: each file goes to "name (1).txt", m-03 to "(2)" as "(1)" was taken.
    expect(await read('q/many/m-03 (2).txt')).toBe('file 03 v2')
    expect(await read('q/many/m-03 (1).txt')).toBe('taken')
    expect(await read('q/many/m-19 (1).txt')).toBe('file 19 v2')
    expect(await read('q/many/m-19.txt')).toBe('file 19')
    const manyKeys = (await keys()).filter((k) => k?.startsWith('q/many/'))
    expect(manyKeys).toHaveLength(41)
  }, 120_000)

  it('a wrong rule is refused before anything is queued', async () => {
    await writeFile(join(dir, 'changed.txt'), 'never sent')
    const wrong = await upload('--on-exists', 'replace')
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/--on-exists must be overwrite, skip, rename, compare, not "replace"/)
    expect(await read('p/d/changed.txt')).toBe('the last version')
    const status = await cli(['status'])
    expect(status.stdout).toMatch(/^Queued 0,/m)
  }, 60_000)
})
