import { createHash, randomBytes } from 'node:crypto'
import { appendFile, mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { bucketForDescribe } from '../support/per-describe'
import { until } from '../support/queue-harness'
import { independentClient, objectBytes, storedObjects } from '../support/s3'
import { createSyncHarness } from '../support/sync-harness'

const { rgw } = inject('services')
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')

async function remoteKeys(bucket: string, prefix = 'sync/'): Promise<string[]> {
  return (await storedObjects(rgw, bucket, prefix)).map((o) => o.key).sort()
}
const remoteBytes = (bucket: string, key: string) => objectBytes(rgw, bucket, key)
async function remoteMatches(bucket: string, key: string, data: Buffer): Promise<boolean> {
  try {
    return (await remoteBytes(bucket, key)).equals(data)
  } catch {
    return false
  }
}
async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'the bucket to catch up',
) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('watched-folder sync with a real watcher', () => {
  const bucket = bucketForDescribe(rgw, 'sync')

  it('uploads created and modified files, uploads renames under the new key, keeps remote objects of deletions', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-watched-'))
    const h = await createSyncHarness(rgw)
    await h.sync.add(h.pairInput(folder, bucket, { prefix: 'basic/' }))
    const first = randomBytes(5000)
    await mkdir(join(folder, 'docs'))
    await writeFile(join(folder, 'docs/report.txt'), first)
    await eventually(() => remoteMatches(bucket, 'basic/docs/report.txt', first), 20_000, 'the new file')
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'basic/docs/report.txt' }),
    )
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])

    const second = randomBytes(6000)
    await writeFile(join(folder, 'docs/report.txt'), second)
    await eventually(() => remoteMatches(bucket, 'basic/docs/report.txt', second), 20_000, 'the modification')

    await rename(join(folder, 'docs/report.txt'), join(folder, 'docs/final.txt'))
    await eventually(() => remoteMatches(bucket, 'basic/docs/final.txt', second), 20_000, 'the renamed file')
    expect(await remoteMatches(bucket, 'basic/docs/report.txt', second)).toBe(true)

    await rm(join(folder, 'docs/final.txt'))
    await new Promise((r) => setTimeout(r, 1500))
    expect(await remoteKeys(bucket, 'basic/')).toEqual(['basic/docs/final.txt', 'basic/docs/report.txt'])
    await h.close()
  })

  it('a file written slowly over 3 s is uploaded once, complete', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-watched-'))
    // Settle delay well above the write interval, so a loaded CI machine's timer lag cannot look like a pause.
    const h = await createSyncHarness(rgw, { settleMs: 1200 })
    await h.sync.add(h.pairInput(folder, bucket, { prefix: 'slow/' }))
    const path = join(folder, 'video.raw')
    const chunks: Buffer[] = []
    for (let i = 0; i < 15; i++) {
      const chunk = randomBytes(50_000)
      chunks.push(chunk)
      await appendFile(path, chunk)
      await new Promise((r) => setTimeout(r, 200))
    }
    const whole = Buffer.concat(chunks)
    await eventually(() => remoteMatches(bucket, 'slow/video.raw', whole), 20_000, 'the whole file')
    await new Promise((r) => setTimeout(r, 1500))
    expect(h.sentWithKey.filter((c) => c === 'PutObjectCommand slow/video.raw')).toHaveLength(1)
    await h.close()
  })

  it('ignore rules: .obsignore patterns and the defaults (temp, OS and partial-download files) are not uploaded', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-watched-'))
    await writeFile(join(folder, '.obsignore'), '*.log\nbuild/\n!keep.log\n')
    await mkdir(join(folder, 'build'))
    await mkdir(join(folder, 'src'))
    await writeFile(join(folder, 'src/.obsignore'), 'secret.txt\n')
    for (const name of [
      'app.log',
      'keep.log',
      'build/out.bin',
      '.DS_Store',
      'draft.tmp',
      'movie.mp4.obs-sync-partial',
      'src/secret.txt',
      'src/main.c',
      'notes.txt',
    ]) {
      await writeFile(join(folder, name), name)
    }
    const h = await createSyncHarness(rgw)
    await h.sync.add(h.pairInput(folder, bucket, { prefix: 'ignore/' }))
    await eventually(async () => (await remoteKeys(bucket, 'ignore/')).length >= 3, 20_000, 'the kept files')
    await writeFile(join(folder, 'later.log'), 'x')
    await writeFile(join(folder, 'later.txt'), 'y')
    await eventually(
      async () => (await remoteKeys(bucket, 'ignore/')).includes('ignore/later.txt'),
      20_000,
      'later.txt',
    )
    await new Promise((r) => setTimeout(r, 1000))
    expect(await remoteKeys(bucket, 'ignore/')).toEqual([
      'ignore/keep.log',
      'ignore/later.txt',
      'ignore/notes.txt',
      'ignore/src/main.c',
    ])
    await h.close()
  })

  it('restart catch-up: changes made while the app was off are uploaded, unchanged files are not', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-watched-'))
    for (let i = 0; i < 20; i++) await writeFile(join(folder, `f${i}.txt`), `version 1 of ${i}`)
    const first = await createSyncHarness(rgw)
    const pair = await first.sync.add(first.pairInput(folder, bucket, { prefix: 'restart/' }))
    await eventually(async () => (await remoteKeys(bucket, 'restart/')).length === 20, 30_000, '20 files')
    await until(() => first.state.count(pair.id) === 20, 10_000, 'the state DB')
    const dataDir = first.dataDir
    await first.close()

    await writeFile(join(folder, 'f3.txt'), 'version 2 of 3')
    await writeFile(join(folder, 'new.txt'), 'new while off')
    const second = await createSyncHarness(rgw, { dataDir })
    await second.sync.startAll()
    await eventually(
      () => remoteMatches(bucket, 'restart/new.txt', Buffer.from('new while off')),
      20_000,
      'new.txt',
    )
    await eventually(
      () => remoteMatches(bucket, 'restart/f3.txt', Buffer.from('version 2 of 3')),
      20_000,
      'f3.txt',
    )
    const puts = second.sentWithKey.filter((c) => c.startsWith('PutObjectCommand'))
    expect(puts.sort()).toEqual(['PutObjectCommand restart/f3.txt', 'PutObjectCommand restart/new.txt'])
    await second.close()
  })

  it('reconciles a 5,000-file tree; a second pass uploads nothing; later changes in its folders are caught up', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-tree-'))
    for (let d = 0; d < 50; d++) {
      await mkdir(join(folder, `dir${d}`))
      await Promise.all(
        Array.from({ length: 100 }, (_, f) => writeFile(join(folder, `dir${d}/file${f}.txt`), `${d}/${f}`)),
      )
    }
    const h = await createSyncHarness(rgw)
    const pair = { ...h.pairInput(folder, bucket, { prefix: 'tree/' }), id: 'tree-pair', paused: false }
    await h.sync.runTransient(pair, { watch: false })
    await until(() => h.queue.pendingFor('tree-pair') === 0, 120_000, 'the queue to drain')
    await until(() => h.state.count('tree-pair') === 5000, 10_000, 'the state DB')
    expect((await remoteKeys(bucket, 'tree/')).length).toBe(5000)
    const putsBefore = h.sent.filter((c) => c === 'PutObjectCommand').length
    expect(putsBefore).toBe(5000)
    // Once the uploads are done, each folder is remembered as in sync: the first restart skips it already.
    await until(
      () => Array.from({ length: 50 }, (_, d) => h.state.folder('tree-pair', `dir${d}`)).every(Boolean),
      10_000,
      'the folder signatures',
    )
    await h.sync.runTransient(pair, { watch: false })
    expect(h.queue.pendingFor('tree-pair')).toBe(0)
    expect(h.sent.filter((c) => c === 'PutObjectCommand').length).toBe(putsBefore)

    // The second pass remembered every folder as unchanged; changes inside such folders are still caught up.
    await writeFile(join(folder, 'dir7/file1.txt'), 'changed, and longer than before')
    await utimes(join(folder, 'dir8/file2.txt'), new Date(), new Date(Date.now() + 5000))
    await writeFile(join(folder, 'dir9/new.txt'), 'new')
    await rm(join(folder, 'dir10/file3.txt'))
    const mark = h.sentWithKey.length
    await h.sync.runTransient(pair, { watch: false })
    await until(() => h.queue.pendingFor('tree-pair') === 0, 60_000, 'the queue to drain')
    const puts = () =>
      h.sentWithKey
        .slice(mark)
        .filter((c) => c.startsWith('PutObjectCommand'))
        .sort()
    expect(puts()).toEqual([
      'PutObjectCommand tree/dir7/file1.txt',
      'PutObjectCommand tree/dir8/file2.txt',
      'PutObjectCommand tree/dir9/new.txt',
    ])
    expect(
      await remoteMatches(bucket, 'tree/dir7/file1.txt', Buffer.from('changed, and longer than before')),
    ).toBe(true)
    // Upload-only: the deleted file's object stays, its row is kept but no longer counted as a local file.
    expect((await remoteKeys(bucket, 'tree/dir10/')).includes('tree/dir10/file3.txt')).toBe(true)
    expect(h.state.get('tree-pair', 'dir10/file3.txt')?.localGone).toBe(true)
    expect(h.state.count('tree-pair')).toBe(5000)
    await h.sync.runTransient(pair, { watch: false })
    expect(puts()).toHaveLength(3)

    // Created again with other content: it replaces what we uploaded there (no conflict copy).
    await writeFile(join(folder, 'dir10/file3.txt'), 'back again')
    await h.sync.runTransient(pair, { watch: false })
    await until(() => h.queue.pendingFor('tree-pair') === 0, 60_000, 'the queue to drain')
    expect(puts()).toContain('PutObjectCommand tree/dir10/file3.txt')
    expect(await remoteMatches(bucket, 'tree/dir10/file3.txt', Buffer.from('back again'))).toBe(true)
    expect(h.state.get('tree-pair', 'dir10/file3.txt')?.localGone).toBeUndefined()
    expect((await remoteKeys(bucket, 'tree/dir10/')).filter((k) => k.includes('sync-conflict'))).toEqual([])
    await h.close()
  }, 240_000)

  it('a remote object changed since our last upload is never overwritten: the local version goes beside it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-watched-'))
    await writeFile(join(folder, 'plan.txt'), 'ours v1')
    const h = await createSyncHarness(rgw)
    await h.sync.add(h.pairInput(folder, bucket, { prefix: 'conflict/' }))
    await eventually(() => remoteMatches(bucket, 'conflict/plan.txt', Buffer.from('ours v1')), 20_000, 'v1')
    await independentClient(rgw).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'conflict/plan.txt',
        Body: 'theirs',
        Metadata: { sha256: sha256(Buffer.from('theirs')) },
      }),
    )
    await writeFile(join(folder, 'plan.txt'), 'ours v2')
    await eventually(
      async () =>
        (await remoteKeys(bucket, 'conflict/')).some((k) => /plan\.sync-conflict-\d{8}-\d{6}\.txt$/.test(k)),
      20_000,
      'the conflict copy',
    )
    const keys = await remoteKeys(bucket, 'conflict/')
    const copy = keys.find((k) => k.includes('sync-conflict'))!
    expect((await remoteBytes(bucket, copy)).toString()).toBe('ours v2')
    expect((await remoteBytes(bucket, 'conflict/plan.txt')).toString()).toBe('theirs')
    expect(h.activity.some((a) => a.level === 'warning' && a.message.includes('changed in the bucket'))).toBe(
      true,
    )
    // The same line as data, for a window to word in its language.
    expect(h.activity.map((a) => a.line)).toContainEqual({
      kind: 'remote-conflict',
      params: { key: 'conflict/plan.txt', renamed: copy },
    })
    await h.close()
  })

  it('the remote listing shows objects changed or deleted in the bucket since our uploads', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-remote-'))
    for (const name of ['keep.txt', 'edited.txt', 'removed.txt']) await writeFile(join(folder, name), name)
    const h = await createSyncHarness(rgw)
    const pair = { ...h.pairInput(folder, bucket, { prefix: 'remote/' }), id: 'remote-pair', paused: false }
    await h.sync.runTransient(pair, { watch: false })
    await until(() => h.state.count('remote-pair') === 3, 20_000, 'three uploads')
    expect(await h.sync.remoteChanges('remote-pair')).toEqual({ changed: [], deleted: [] })
    await independentClient(rgw).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'remote/edited.txt', Body: 'edited elsewhere' }),
    )
    await independentClient(rgw).send(new DeleteObjectCommand({ Bucket: bucket, Key: 'remote/removed.txt' }))
    const changes = await h.sync.remoteChanges('remote-pair')
    expect(changes.changed).toEqual([
      {
        key: 'remote/edited.txt',
        localPath: join(folder, 'edited.txt'),
        reason: expect.stringContaining('size is now 16 bytes'),
      },
    ])
    expect(changes.deleted).toEqual([{ key: 'remote/removed.txt', localPath: join(folder, 'removed.txt') }])
    await h.close()
  })

  it('mirror mode deletes remote copies of deleted files, but refuses a mass deletion until confirmed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-mirror-'))
    for (let i = 0; i < 10; i++) await writeFile(join(folder, `m${i}.txt`), `m${i}`)
    const h = await createSyncHarness(rgw)
    const pair = {
      ...h.pairInput(folder, bucket, { prefix: 'mirror/', mode: 'mirror', mirrorDeleteCapPercent: 20 }),
      id: 'mirror-pair',
      paused: false,
    }
    await h.sync.runTransient(pair, { watch: false })
    await until(() => h.state.count('mirror-pair') === 10, 20_000, 'ten uploads')
    // The scan's and the deletion's activity lines carry what they say as data (a window words them).
    expect(h.activity.map((a) => a.line)).toContainEqual({
      kind: 'scan-found',
      params: { count: 10, folder },
    })

    await rm(join(folder, 'm0.txt'))
    await h.sync.runTransient(pair, { watch: false })
    expect(await remoteKeys(bucket, 'mirror/')).not.toContain('mirror/m0.txt')
    expect(h.activity.map((a) => a.line)).toContainEqual({
      kind: 'mirror-deleted',
      params: { key: 'mirror/m0.txt' },
    })

    for (let i = 1; i <= 5; i++) await rm(join(folder, `m${i}.txt`))
    await h.sync.runTransient(pair, { watch: false })
    expect(h.sync.problems('mirror-pair')[0]).toMatch(/Refusing to delete 5 of 9 remote files/)
    expect((await remoteKeys(bucket, 'mirror/')).length).toBe(9)
    // The held deletions name their counts (a window words them in its language); so does the activity line.
    const held = { code: 'DELETIONS_HELD', params: { deletions: 5, tracked: 9, percent: 56, cap: 20 } }
    expect(h.pairStatuses.at(-1)).toMatchObject({ state: 'error', heldDeletions: 5, error: held })
    expect(h.activity.map((a) => a.error)).toContainEqual(expect.objectContaining(held))

    await h.sync.confirmAndReconcile('mirror-pair')
    expect(h.pairStatuses.at(-1)).toMatchObject({ state: 'idle', heldDeletions: undefined })
    expect(h.sync.problems('mirror-pair')).toEqual([])
    expect(await remoteKeys(bucket, 'mirror/')).toEqual([
      'mirror/m6.txt',
      'mirror/m7.txt',
      'mirror/m8.txt',
      'mirror/m9.txt',
    ])
    expect(await readFile(join(folder, 'm6.txt'), 'utf8')).toBe('m6')
    await h.close()
  })
})
