import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, kmsTarget, runCli } from '../support/cli'
import { until } from '../support/queue-harness'
import { freshBucket, independentClient, storedObjects } from '../support/s3'
import { createSyncHarness } from '../support/sync-harness'

/**
 * A truncated or garbage queue.db / state.db at start: moved aside as `<name>.corrupt-<time>`, the user told,
 * a fresh DB made; after a lost state DB the next pass rebuilds it from the bucket (our SHA-256 metadata)
 * without uploading the unchanged files again. Real files, real RGW, read back with an independent client.
 */
const { rgw } = inject('services')

async function lastModifiedByKey(bucket: string, prefix: string): Promise<Map<string, string | undefined>> {
  return new Map((await storedObjects(rgw, bucket, prefix)).map((o) => [o.key, o.lastModified]))
}

const asideFiles = (dir: string, name: string) =>
  readdirSync(dir).filter((f) => f.startsWith(`${name}.corrupt-`) && !f.endsWith('-wal'))

describe('damaged databases at start', () => {
  it('a truncated state.db is set aside, the user told, and rebuilt from the bucket without re-uploads', async () => {
    const bucket = await freshBucket(rgw, 'corrupt')
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-corrupt-folder-'))
    await mkdir(join(folder, 'deep'))
    for (let i = 0; i < 40; i++)
      await writeFile(join(folder, i % 2 ? `deep/f${i}.bin` : `f${i}.bin`), randomBytes(3000 + i))
    const first = await createSyncHarness(rgw)
    const dataDir = first.dataDir
    const pair = await first.sync.add(first.pairInput(folder, bucket, { prefix: 'c/' }))
    await until(() => first.state.count(pair.id) === 40, 60_000, 'the first uploads')
    const jobsBefore = first.queue.list().length
    await first.close()
    const before = await lastModifiedByKey(bucket, 'c/')
    expect(before.size).toBe(40)

    // Cut the file in half: the schema page survives, the rows do not.
    const path = join(dataDir, 'state.db')
    const original = await readFile(path)
    expect(original.length).toBeGreaterThan(8192)
    await truncate(path, Math.floor(original.length / 2 / 4096) * 4096 + 100)
    // One second, so that an upload would show in the objects' Last-Modified.
    await new Promise((r) => setTimeout(r, 1100))

    const second = await createSyncHarness(rgw, { dataDir })
    try {
      const told = second.activity.find((a) => a.level === 'error' && /sync state/.test(a.message))
      expect(told?.message).toMatch(
        /was damaged and could not be read: it was moved aside to .*state\.db\.corrupt-/,
      )
      expect(told?.message).toMatch(/not uploaded again/)
      const aside = asideFiles(dataDir, 'state.db')
      expect(aside).toHaveLength(1)
      // The same as data, for a window to word it in its language.
      expect(told?.line).toEqual({
        kind: 'state-db-set-aside',
        params: { path, aside: join(dataDir, aside[0]!) },
      })
      expect((await stat(join(dataDir, aside[0]!))).size).toBe(
        Math.floor(original.length / 2 / 4096) * 4096 + 100,
      )

      await second.sync.startAll()
      await until(() => second.state.count(pair.id) === 40, 60_000, 'the state DB rebuilt from the bucket')
      await until(
        () => second.pairStatuses.filter((s) => s.id === pair.id).at(-1)?.state === 'idle',
        30_000,
        'the pass to end',
      )
      // Nothing was queued, nothing sent: every object is the one uploaded the first time.
      // (the queue DB is the same one: its 40 finished jobs of the first run are still listed)
      expect(second.queue.list()).toHaveLength(jobsBefore)
      // What was asked of the server: the listing and one HEAD per file (our SHA-256), no upload.
      expect(second.sent.filter((c) => /Put|Multipart|UploadPart/.test(c))).toEqual([])
      expect(second.sent.filter((c) => c === 'HeadObjectCommand')).toHaveLength(40)
      expect(await lastModifiedByKey(bucket, 'c/')).toEqual(before)
      // A file changed afterwards is uploaded: the rebuilt rows work as the old ones did.
      const changed = randomBytes(5000)
      await writeFile(join(folder, 'f0.bin'), changed)
      await second.sync.stopAll()
      await second.sync.startAll()
      const s3 = independentClient(rgw)
      await until(
        () => second.queue.list().length === jobsBefore + 1 && second.queue.list().at(-1)?.state === 'done',
        30_000,
        'the changed file',
      )
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c/f0.bin' }))
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(changed)).toBe(true)
      expect(second.queue.list().at(-1)?.key).toBe('c/f0.bin')
    } finally {
      await second.close()
    }
  })

  it('a garbage queue.db is set aside with a line on stderr; the CLI makes a fresh one and uploads', async () => {
    const home = await mkdtemp(join(tmpdir(), 'obs-sync-corrupt-home-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    const garbage = randomBytes(20_000)
    await writeFile(join(home, 'queue.db'), garbage)
    const bucket = await freshBucket(rgw, 'corrupt-q')
    const file = join(await mkdtemp(join(tmpdir(), 'obs-sync-corrupt-src-')), 'one.txt')
    await writeFile(file, 'after the damaged queue')

    const run = await runCli(['--data-dir', home, 'upload', file, ...kmsTarget(bucket, rgw.kmsKeyIds[0]!)])
    expect(run.stderr).toMatch(
      /The upload queue \(.*queue\.db\) was damaged and could not be read: it was moved aside to .*queue\.db\.corrupt-\S+ and a new one was started\. Uploads that were waiting in it are not known any more/,
    )
    expect(run.code).toBe(0)
    const aside = asideFiles(home, 'queue.db')
    expect(aside).toHaveLength(1)
    expect((await readFile(join(home, aside[0]!))).equals(garbage)).toBe(true)
    const head = await independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: 'one.txt' }))
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
    // The next start finds a healthy queue: nothing more is set aside, no line.
    const status = await runCli(['--data-dir', home, 'status'])
    expect(status.code).toBe(0)
    expect(status.stderr).not.toMatch(/damaged/)
    expect(asideFiles(home, 'queue.db')).toHaveLength(1)
  })
})
