import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, kmsTarget, runCli } from '../support/cli'
import { createQueueHarness, until } from '../support/queue-harness'
import { randomFiles } from '../support/random-files'
import { freshBucket, independentClient } from '../support/s3'
import { expectStoredExactly } from '../support/stored-objects'
import { createSyncHarness, type SyncHarness } from '../support/sync-harness'

/**
 * The data folder on a small tmpfs that fills up: enqueueing fails with DISK_FULL (through the contract, the
 * CLI's words), nothing queued before is lost, and work carries on once space is freed. Root here and in CI:
 * a mount that fails fails the test, it is never skipped.
 */
const { rgw } = inject('services')
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')

const mounts: string[] = []
async function smallDisk(size: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-full-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=700`, 'tmpfs', dir])
  mounts.push(dir)
  return dir
}

/** Writes a file until the disk says ENOSPC: every byte is then taken. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error
  } finally {
    closeSync(fd)
  }
  // The last partial block, byte by byte (small writes fit where 64 KiB did not).
  const tail = openSync(path, 'a')
  try {
    for (;;) writeSync(tail, Buffer.alloc(512, 1))
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error
  } finally {
    closeSync(tail)
  }
}

const sourceFiles = (count: number, size: number) => randomFiles('obs-sync-full-src-', count, size)

const expectStored = (bucket: string, prefix: string, hashes: Map<string, string>) =>
  expectStoredExactly(rgw, { bucket, prefix, kmsKeyId: rgw.kmsKeyIds[0]! }, hashes)

describe('the data folder on a disk that fills up', () => {
  let sync: SyncHarness | undefined
  afterEach(async () => {
    await sync?.close()
    sync = undefined
    for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m], { stdio: 'ignore' })
  })

  it('only the sync state DB cannot be written: uploads go on, the folder says DISK_FULL, nothing is lost or sent twice', async () => {
    // The queue DB on a disk with room, the state DB alone on a small tmpfs that fills up.
    const stateDisk = await smallDisk('2m')
    const bucket = await freshBucket(rgw, 'full-state')
    const { dir, hashes } = await sourceFiles(3, 2000)
    sync = await createSyncHarness(rgw, { settleMs: 300, stateDbPath: join(stateDisk, 'state.db') })
    const h = sync
    const pair = await h.sync.add(h.pairInput(dir, bucket))
    const status = () => h.pairStatuses.filter((s) => s.id === pair.id).at(-1)
    await until(() => h.state.count(pair.id) === 3, 30_000, 'the first three uploads recorded')

    fillUp(join(stateDisk, 'filler'))
    // Enough files that their rows cannot fit in what the WAL file already holds.
    for (let i = 0; i < 60; i++) {
      const data = randomBytes(2000)
      await writeFile(join(dir, `late${i}.bin`), data)
      hashes.set(`late${i}.bin`, sha256(data))
    }
    await until(
      () => h.queue.list().filter((j) => j.state === 'done').length === 63,
      60_000,
      'the 60 new uploads (the queue DB has room)',
    )
    await until(() => status()?.error?.code === 'DISK_FULL', 15_000, 'the folder to say DISK_FULL')
    expect(status()?.state).toBe('error')
    expect(status()?.error?.message).toMatch(/disk is full: the sync state of .* cannot be saved/)
    expect(
      h.activity.some((a) => a.level === 'error' && /sync state .* cannot be saved/.test(a.message)),
    ).toBe(true)
    // The same as data, for a window to word it in its language (errorCauses.stateDiskFull).
    expect(status()?.error?.params).toEqual({ cause: 'stateDiskFull', folder: dir })
    expect(h.activity.find((a) => a.error?.params?.cause === 'stateDiskFull')?.error?.params).toEqual({
      cause: 'stateDiskFull',
      folder: dir,
    })
    expect(h.queue.list().filter((j) => j.state === 'failed')).toEqual([])
    await expectStored(bucket, 'sync/', hashes)

    await rm(join(stateDisk, 'filler'))
    await until(() => h.state.count(pair.id) === 63, 15_000, 'every upload recorded once space is freed')
    await until(() => status()?.error === undefined, 15_000, 'the folder to stop saying DISK_FULL')
    const savedAgain = h.activity.find((a) => /sync state of .* is saved again/.test(a.message))
    expect(savedAgain?.line).toEqual({ kind: 'state-saved', params: { folder: dir } })

    // A restart on the same DBs: every file is known, nothing is queued or sent again.
    const dataDir = h.dataDir
    await h.close()
    sync = await createSyncHarness(rgw, { settleMs: 300, dataDir, stateDbPath: join(stateDisk, 'state.db') })
    const again = sync
    await again.sync.startAll()
    await until(
      () => again.pairStatuses.some((s) => s.id === pair.id && s.state === 'idle'),
      30_000,
      'the catch-up pass after the restart',
    )
    expect(again.queue.list()).toHaveLength(63)
    await expectStored(bucket, 'sync/', hashes)
  }, 180_000)

  it('obs-sync upload says the disk is full (DISK_FULL), and uploads once space is freed', async () => {
    const home = await smallDisk('8m')
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    const bucket = await freshBucket(rgw, 'full')
    const { dir, hashes } = await sourceFiles(400, 100)
    // A first run makes the queue DB (and leaves it with little room to grow).
    const warm = await sourceFiles(1, 10)
    const args = ['--data-dir', home, 'upload', ...kmsTarget(bucket, rgw.kmsKeyIds[0]!)]
    expect((await runCli([...args.slice(0, 3), warm.dir, ...args.slice(3)])).code).toBe(0)
    fillUp(join(home, 'filler'))

    const full = await runCli(['--json', ...args.slice(0, 3), dir, ...args.slice(3)])
    expect(full.code).toBe(1)
    expect(JSON.parse(full.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      error: { code: 'DISK_FULL' },
    })
    const words = await runCli([...args.slice(0, 3), dir, ...args.slice(3)])
    expect(words.code).toBe(1)
    expect(words.stderr).toMatch(
      /^obs-sync: The disk is full: OBS Sync could not save its data .*Free some space/m,
    )
    const reader = independentClient(rgw)
    const meanwhile = await reader.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${dir.split('/').at(-1)}/` }),
    )
    expect(meanwhile.KeyCount ?? 0).toBe(0)

    await rm(join(home, 'filler'))
    const after = await runCli([...args.slice(0, 3), dir, ...args.slice(3)])
    expect(after.stderr).toBe('')
    expect(after.code).toBe(0)
    await expectStored(bucket, `${dir.split('/').at(-1)}/`, hashes)
  }, 180_000)

  it('uploads in flight when the disk fills are not lost, and all finish once space is freed', async () => {
    const home = await smallDisk('3m')
    const bucket = await freshBucket(rgw, 'full-flight')
    const { dir, hashes } = await sourceFiles(40, 64 * 1024)
    const logs: string[] = []
    const h = await createQueueHarness(rgw, {
      dbPath: join(home, 'queue.db'),
      concurrency: 2,
      bandwidth: 512 * 1024,
      random: () => 0.5,
      log: (message) => logs.push(message),
    })
    h.queue.start()
    const { jobIds } = await h.queue.enqueue({
      accountId: h.account.id,
      bucket,
      prefix: 'flight/',
      paths: [...hashes.keys()].map((name) => join(dir, name)),
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
    })
    await until(() => h.queue.list().filter((j) => j.state === 'done').length >= 3, 60_000, 'three uploads')
    fillUp(join(home, 'filler'))
    // The queue could not save its progress: it says so, and keeps trying.
    await until(() => logs.some((m) => m.startsWith('The disk is full')), 30_000, 'the disk-full line')
    await new Promise((r) => setTimeout(r, 3000))
    const failedMeanwhile = h.queue.list().filter((j) => j.state === 'failed')
    expect(failedMeanwhile).toEqual([])
    await rm(join(home, 'filler'))

    const jobs = await h.queue.waitFor(jobIds)
    expect(jobs.map((j) => j.state)).toEqual(jobIds.map(() => 'done'))
    expect(h.queue.list()).toHaveLength(40)
    await expectStored(bucket, 'flight/', hashes)
    expect(logs).toContain('The upload queue can be saved again: uploads carry on.')
    await h.queue.stop()
  }, 240_000)

  it('obs-sync get into a folder on a full disk: DISK_FULL, the partial file removed; then a smaller one fits', async () => {
    const home = await mkdtemp(join(tmpdir(), 'obs-sync-full-get-home-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    const target = await smallDisk('1m')
    const bucket = await freshBucket(rgw, 'full-get')
    const writer = independentClient(rgw)
    await writer.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: randomBytes(3 * 1024 * 1024) }),
    )
    const small = randomBytes(100 * 1024)
    await writer.send(new PutObjectCommand({ Bucket: bucket, Key: 'small.bin', Body: small }))

    const big = await runCli(['--data-dir', home, 'get', `${bucket}/big.bin`, target])
    expect(big.code).toBe(1)
    expect(big.stdout + big.stderr).toMatch(
      /The disk holding .* is full: "big\.bin" was not saved \(the partial file was removed\)/,
    )
    const json = await runCli(['--data-dir', home, '--json', 'get', `${bucket}/big.bin`, target])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)[0].failures[0].error.code).toBe('DISK_FULL')
    expect(await readdir(target)).toEqual([])

    const fits = await runCli(['--data-dir', home, 'get', `${bucket}/small.bin`, target])
    expect(fits.code).toBe(0)
    expect((await readFile(join(target, 'small.bin'))).equals(small)).toBe(true)
  }, 120_000)
})
