import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createDownloadQueue, type DownloadQueueOptions } from '../../main/core/downloads/download-queue'
import { sseCustomerParams } from '../../main/core/encryption/sse-headers'
import { AppError } from '../../main/core/errors'
import { createS3Client } from '../../main/core/storage/s3-client'
import type { DownloadBatch, DownloadProgress } from '../../preload/contract/download-models'
import { harnessAccount } from '../support/queue-harness'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const account = harnessAccount(rgw)
const keyA = randomBytes(32).toString('base64')
const keyB = randomBytes(32).toString('base64')
const keychain: Record<string, string> = { 'key-a': keyA, 'key-b': keyB }

/** What was put in the bucket, by key, to compare the downloaded bytes with. */
const source = new Map<string, Buffer>()

async function put(bucket: string, key: string, body: Buffer, extra: Record<string, unknown> = {}) {
  source.set(key, body)
  await independentClient(rgw).send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      Metadata: { sha256: createHash('sha256').update(body).digest('hex') },
      ...extra,
    }),
  )
}

function makeQueue(overrides: Partial<DownloadQueueOptions> = {}) {
  const batches: DownloadBatch[] = []
  const progress: { at: number; events: DownloadProgress[] }[] = []
  const queue = createDownloadQueue({
    client: async () => ({
      account,
      ...(await createS3Client(account, {
        accessKeyId: rgw.accessKeyId,
        secretAccessKey: rgw.secretAccessKey,
      })),
    }),
    customerKey: async (_id, name) => {
      const material = keychain[name]
      if (!material) throw new AppError('CREDENTIALS_MISSING', `no key ${name}`)
      return sseCustomerParams(material)
    },
    events: {
      batch: (b) => batches.push(b),
      progress: (events) => progress.push({ at: performance.now(), events }),
    },
    ...overrides,
  })
  return { queue, batches, progress }
}

/** Every file under `dir`, `/`-separated and relative, with its bytes. */
async function filesUnder(dir: string, prefix = ''): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>()
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) for (const [k, v] of await filesUnder(dir, rel)) found.set(k, v)
    else found.set(rel, await readFile(join(dir, rel)))
  }
  return found
}

describe('download queue against RGW: folders and selections, SSE-KMS and SSE-C, progress, clashes', () => {
  let bucket: string
  /** Starts a download of `keys` from the test bucket into a fresh temp folder. */
  async function download(
    queue: ReturnType<typeof makeQueue>['queue'],
    keys: string[],
    options: { sseCustomerKeyNames?: string[] } = {},
  ) {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-dl-'))
    const started = await queue.start({ accountId: account.id, bucket, keys, targetDir: dir, ...options })
    return { dir, started }
  }
  const kmsKeys: string[] = []
  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'dl')
    for (let i = 0; i < 24; i++) {
      const kmsKey = rgw.kmsKeyIds[i % 2] as string
      kmsKeys.push(`docs/kms/${i}.bin`)
      await put(bucket, `docs/kms/${i}.bin`, randomBytes(1000 + i * 4099), {
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: kmsKey,
      })
    }
    await put(bucket, 'docs/big.bin', randomBytes(6 * 1024 * 1024), {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: rgw.kmsKeyIds[0],
    })
    for (let i = 0; i < 4; i++) {
      await put(bucket, `docs/c/a-${i}.bin`, randomBytes(5000 + i), sseCustomerParams(keyA))
      await put(bucket, `docs/c/b-${i}.bin`, randomBytes(7000 + i), sseCustomerParams(keyB))
    }
    await put(bucket, 'docs/plain.txt', Buffer.from('plain text'))
    await put(bucket, 'elsewhere.txt', Buffer.from('not in docs'))
  })

  it('downloads a folder: SSE-KMS and SSE-C bytes equal the source, one question for the missing key', async () => {
    const { queue, batches, progress } = makeQueue()
    const { dir, started } = await download(queue, ['docs/'], { sseCustomerKeyNames: ['key-a'] })
    let batch = await queue.waitFor(started.id)
    // The objects written with key B wait together for one answer; everything else is there.
    expect(batch.state).toBe('waiting')
    expect(batch.needsCustomerKey).toBe(4)
    expect(batch.filesFailed).toBe(0)
    batch = await queue.answer(started.id, { kind: 'customer-key', keyName: 'key-b' })
    batch = await queue.waitFor(started.id)
    expect(batch.state).toBe('done')
    expect(batch.files).toBe(34)
    expect(batch.filesDone).toBe(34)

    const got = await filesUnder(dir)
    const expected = [...source].filter(([key]) => key.startsWith('docs/'))
    expect([...got.keys()].sort()).toEqual(expected.map(([key]) => key).sort())
    for (const [key, body] of expected) expect(got.get(key)?.equals(body), key).toBe(true)
    // Downloaded files carry the object's time, so a later compare by size and time can recognise them.
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'docs/plain.txt' }),
    )
    const mtime = (await stat(join(dir, 'docs/plain.txt'))).mtimeMs
    expect(Math.floor(mtime / 1000) * 1000).toBe(head.LastModified?.getTime())

    // Progress: bytes of the whole batch, a rate, at most ~10 events a second.
    const all = progress.flatMap((p) => p.events)
    expect(all.length).toBeGreaterThan(0)
    expect(all.some((e) => e.bytesPerSecond > 0)).toBe(true)
    expect(all.every((e) => e.bytes === batch.bytes)).toBe(true)
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(90)
    }
    expect(batches.map((b) => b.state)).toContain('running')
  })

  it('downloads a selection of single keys into the folder by their names; a missing key fails alone', async () => {
    const { queue } = makeQueue()
    const { dir, started } = await download(
      queue,
      ['docs/kms/3.bin', 'docs/c/a-1.bin', 'docs/nope.bin', 'docs/kms', 'docs/kms/3.bin'],
      { sseCustomerKeyNames: ['key-b', 'key-a'] },
    )
    const batch = await queue.waitFor(started.id)
    expect(batch.state).toBe('failed')
    expect(batch.failures).toEqual([
      expect.objectContaining({
        key: 'docs/nope.bin',
        error: expect.objectContaining({ code: 'NOT_FOUND' }),
      }),
    ])
    const got = await filesUnder(dir)
    expect(got.get('3.bin')?.equals(source.get('docs/kms/3.bin') as Buffer)).toBe(true)
    expect(got.get('a-1.bin')?.equals(source.get('docs/c/a-1.bin') as Buffer)).toBe(true)
    // `docs/kms` without its slash is the folder, downloaded as a folder.
    expect(got.get('kms/23.bin')?.equals(source.get('docs/kms/23.bin') as Buffer)).toBe(true)
    expect([...got.keys()].filter((k) => k.startsWith('kms/'))).toHaveLength(24)
  })

  it('asks once per batch about existing files; skip, keep both and compare do what they say', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-dl-'))
    const request = { accountId: account.id, bucket, keys: ['docs/kms/'], targetDir: dir }
    const first = makeQueue()
    await first.queue.waitFor((await first.queue.start(request)).id)

    await writeFile(join(dir, 'kms/0.bin'), 'changed locally')
    const ask = makeQueue()
    const asking = await ask.queue.waitFor((await ask.queue.start(request)).id)
    expect(asking.state).toBe('waiting')
    expect(asking.clashes).toBe(24)
    const skipped = await ask.queue.answer(asking.id, { kind: 'on-exists', choice: 'skip' })
    expect((await ask.queue.waitFor(skipped.id)).filesSkipped).toBe(24)
    expect(await readFile(join(dir, 'kms/0.bin'), 'utf8')).toBe('changed locally')

    // Compare: the 23 unchanged files are recognised by our SHA-256; the changed one is downloaded again.
    const compare = makeQueue()
    const compared = await compare.queue.waitFor(
      (await compare.queue.start({ ...request, onExists: 'compare' })).id,
    )
    expect(compared).toMatchObject({ state: 'done', filesSkipped: 23, filesDone: 1 })
    expect((await readFile(join(dir, 'kms/0.bin'))).equals(source.get('docs/kms/0.bin') as Buffer)).toBe(true)

    const rename = makeQueue()
    const renamed = await rename.queue.waitFor(
      (
        await rename.queue.start({
          ...request,
          keys: ['docs/kms/5.bin'],
          targetDir: join(dir, 'kms'),
          onExists: 'rename',
        })
      ).id,
    )
    expect(renamed.filesDone).toBe(1)
    expect((await readFile(join(dir, 'kms/5 (1).bin'))).equals(source.get('docs/kms/5.bin') as Buffer)).toBe(
      true,
    )
    expect((await readFile(join(dir, 'kms/5.bin'))).equals(source.get('docs/kms/5.bin') as Buffer)).toBe(true)
  })

  it('pause stops the transfers and resume finishes them; cancel leaves no partial file', async () => {
    const { queue, batches } = makeQueue({ concurrency: 1 })
    const { dir, started } = await download(queue, ['docs/big.bin', 'docs/kms/'])
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (queue.get(started.id).state === 'running') {
          clearInterval(timer)
          resolve()
        }
      }, 5)
    })
    queue.pause(started.id)
    expect(queue.get(started.id).state).toBe('paused')
    const pausedAt = queue.get(started.id).filesDone
    await new Promise((r) => setTimeout(r, 300))
    expect(queue.get(started.id).filesDone).toBe(pausedAt)
    queue.resume(started.id)
    const done = await queue.waitFor(started.id)
    expect(done).toMatchObject({ state: 'done', filesDone: 25 })
    expect((await readFile(join(dir, 'big.bin'))).equals(source.get('docs/big.bin') as Buffer)).toBe(true)
    expect(batches.map((b) => b.state)).toContain('paused')

    const { dir: dir2, started: second } = await download(queue, ['docs/big.bin'])
    await new Promise<void>((resolve) => {
      const off = setInterval(() => {
        if (queue.get(second.id).bytesDone > 0) {
          clearInterval(off)
          resolve()
        }
      }, 2)
    })
    queue.cancel(second.id)
    await new Promise((r) => setTimeout(r, 200))
    expect(queue.get(second.id).state).toBe('cancelled')
    expect(await readdir(dir2)).toEqual([])
    expect(existsSync(join(dir2, 'big.bin'))).toBe(false)
  })
})
