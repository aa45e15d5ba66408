// Finding #10 (Low): downloads overwrote an existing file without asking, followed a symlinked subfolder of the
// target out of it, resolved a relative target against the server's working folder, let Windows device names
// (CONIN$, CONOUT$, COM¹), ':' (alternate data streams) and text-direction controls through, and a key too long
// for the file system failed as INTERNAL. The file-system side is real (temp folders); the S3 answer is a
// GetObject-shaped stub, as the bytes' origin does not matter here (RGW downloads: storage-browse.test.ts).
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { beforeEach, describe, expect, it } from 'vitest'
import { createDownloadQueue } from '../../main/core/downloads/download-queue'
import { toIpcError } from '../../main/core/errors'
import { downloadObject } from '../../main/core/storage/download-object'

let root: string
let target: string
let outside: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'obs-sync-sec10-'))
  target = join(root, 'Downloads')
  outside = join(root, 'outside')
  await mkdir(target)
  await mkdir(outside)
  await writeFile(join(outside, 'secret.txt'), 'outside, untouched')
})

/** An S3 client answering every GetObject with `content`; `duringBody` runs after the first chunk is read. */
function s3With(content: string, duringBody?: () => Promise<void>) {
  const sent: unknown[] = []
  const client = {
    send: async (command: unknown) => {
      sent.push(command)
      async function* body() {
        yield Buffer.from(content.slice(0, 1))
        await duringBody?.()
        yield Buffer.from(content.slice(1))
      }
      return { Body: Readable.from(body()), ContentLength: content.length, Metadata: {} }
    },
  }
  return { s3: client as unknown as S3Client, sent }
}

/** As the one-object download (storage:download) asks for it: keep both unless the user chose replace. */
const download = (
  s3: S3Client,
  key: string,
  extra: { overwrite?: boolean; targetDir?: string; keepBoth?: boolean } = {},
) =>
  downloadObject(s3, {
    bucket: 'b',
    key,
    targetDir: extra.targetDir ?? target,
    overwrite: extra.overwrite,
    keepBoth: extra.keepBoth ?? true,
  })

describe('#10 an existing file is kept unless the user chose replace', () => {
  it('an existing file is kept and the new one is saved as "name (1).ext"', async () => {
    await writeFile(join(target, 'report.pdf'), 'mine')
    const result = await download(s3With('theirs').s3, 'report.pdf')
    expect(result.path).toBe(join(target, 'report (1).pdf'))
    expect(await readFile(join(target, 'report.pdf'), 'utf8')).toBe('mine')
    expect(await readFile(result.path, 'utf8')).toBe('theirs')
  })

  it('replace (the user chose it) replaces the file', async () => {
    await writeFile(join(target, 'report.pdf'), 'mine')
    const result = await download(s3With('theirs').s3, 'report.pdf', { overwrite: true })
    expect(result.path).toBe(join(target, 'report.pdf'))
    expect(await readFile(result.path, 'utf8')).toBe('theirs')
  })

  it('a file that appears at the target while downloading is not clobbered', async () => {
    const { s3 } = s3With('downloaded', () => writeFile(join(target, 'late.txt'), 'appeared meanwhile'))
    const result = await download(s3, 'late.txt')
    expect(await readFile(join(target, 'late.txt'), 'utf8')).toBe('appeared meanwhile')
    expect(result.path).toBe(join(target, 'late (1).txt'))
    expect(await readFile(result.path, 'utf8')).toBe('downloaded')
    expect((await readdir(target)).sort()).toEqual(['late (1).txt', 'late.txt'])
  })

  it('the download queue (no keep-both) gets FILE_EXISTS for a file that appeared meanwhile, and it is kept', async () => {
    const { s3 } = s3With('downloaded', () => writeFile(join(target, 'late.txt'), 'appeared meanwhile'))
    await expect(download(s3, 'late.txt', { keepBoth: false })).rejects.toMatchObject({ code: 'FILE_EXISTS' })
    expect(await readFile(join(target, 'late.txt'), 'utf8')).toBe('appeared meanwhile')
    expect(await readdir(target)).toEqual(['late.txt'])
  })
})

describe('#10 links in the target folder are never followed', () => {
  it('a symlinked subfolder pointing outside is refused; nothing is written outside', async () => {
    await symlink(outside, join(target, 'photos'))
    await expect(download(s3With('evil').s3, 'photos/secret.txt', { overwrite: true })).rejects.toMatchObject(
      {
        code: 'UNSAFE_PATH',
        message: expect.stringContaining('is a link'),
      },
    )
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside, untouched')
    expect(await readdir(outside)).toEqual(['secret.txt'])
  })

  it('a link at the file name itself: kept by default; replace swaps the link, never the file it points to', async () => {
    await symlink(join(outside, 'secret.txt'), join(target, 'notes.txt'))
    const kept = await download(s3With('new notes').s3, 'notes.txt')
    expect(kept.path).toBe(join(target, 'notes (1).txt'))
    expect(await readlink(join(target, 'notes.txt'))).toBe(join(outside, 'secret.txt'))
    const replaced = await download(s3With('new notes').s3, 'notes.txt', { overwrite: true })
    expect((await lstat(replaced.path)).isFile()).toBe(true)
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside, untouched')
  })
})

describe('#10 targets and keys the file system cannot take safely are refused clearly, before any request', () => {
  it('a relative target folder is refused (single download and download queue)', async () => {
    const { s3, sent } = s3With('x')
    await expect(download(s3, 'a.txt', { targetDir: 'Downloads' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"Downloads" is a relative path'),
    })
    expect(sent).toHaveLength(0)
    const queue = createDownloadQueue({
      client: async () => {
        throw new Error('not reached')
      },
      customerKey: async () => ({}),
      events: { batch: () => {}, progress: () => {} },
    } as never)
    await expect(
      queue.start({ accountId: 'a', bucket: 'b', keys: ['a.txt'], targetDir: './out' } as never),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it.each([
    ['CONIN$', 'CONIN$'],
    ['CONOUT$ with an extension', 'dir/conout$.txt'],
    ['COM with a superscript digit', 'COM¹'],
    ['LPT with a superscript digit and extension', 'lpt².log'],
    ['an alternate data stream', 'notes.txt:hidden'],
    ['a right-to-left override', 'invoice\u202Efdp.exe'],
    ['a left-to-right isolate', 'a\u2066b.txt'],
    ['a name over 255 bytes', `${'é'.repeat(128)}.txt`],
    ['a path over 4095 bytes', Array.from({ length: 20 }, () => 'd'.repeat(250)).join('/')],
  ])('%s: UNSAFE_PATH with its reason, nothing sent or written', async (_label, key) => {
    const { s3, sent } = s3With('x')
    const error = await download(s3, key).catch((e: unknown) => e)
    expect(toIpcError(error)).toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringContaining(key) })
    expect(sent).toHaveLength(0)
    expect(await readdir(target)).toEqual([])
  })

  it('a name of exactly 255 bytes is saved (the partial file has a short name of its own)', async () => {
    const key = `${'n'.repeat(251)}.txt`
    const result = await download(s3With('long name').s3, key)
    expect(result.path).toBe(join(target, key))
    expect(await readFile(result.path, 'utf8')).toBe('long name')
  })
})
