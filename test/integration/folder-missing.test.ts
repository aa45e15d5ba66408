import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { until } from '../support/queue-harness'
import { freshBucket, independentClient, storedObjects } from '../support/s3'
import { createSyncHarness, type SyncHarness } from '../support/sync-harness'

/**
 * A watched folder deleted, renamed away or unmounted while watching looks to a scan (and to the watcher) like
 * "every file was deleted". In mirror mode, with a safety cap that would let every deletion through (100%),
 * the pair must show "folder missing", delete nothing remotely, and sync again when the folder is back.
 * Read back with an independent client.
 */
const { rgw } = inject('services')

async function remoteKeys(bucket: string, prefix: string): Promise<string[]> {
  return (await storedObjects(rgw, bucket, prefix)).map((o) => o.key).sort()
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const FILES = ['a.txt', 'b.txt', 'sub/c.txt', 'sub/d.txt']

async function fillFolder(folder: string): Promise<void> {
  await mkdir(join(folder, 'sub'), { recursive: true })
  for (const name of FILES) await writeFile(join(folder, name), randomBytes(3000))
}

describe('a watched folder that goes missing (mirror mode)', () => {
  let bucket: string
  let h: SyncHarness | undefined
  const mounts: string[] = []
  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'missing')
  })
  afterEach(async () => {
    await h?.close()
    h = undefined
    for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m], { stdio: 'ignore' })
  })

  /** Starts a mirror pair on `folder`, waits until its four files are uploaded; answers its latest status. */
  async function startMirror(folder: string, prefix: string) {
    h = await createSyncHarness(rgw, { settleMs: 300 })
    const harness = h
    const pair = await harness.sync.add(
      harness.pairInput(folder, bucket, { prefix, mode: 'mirror', mirrorDeleteCapPercent: 100 }),
    )
    await until(() => harness.state.count(pair.id) === FILES.length, 30_000, 'the first uploads')
    expect(await remoteKeys(bucket, prefix)).toEqual(FILES.map((f) => prefix + f).sort())
    const status = () => harness.pairStatuses.filter((s) => s.id === pair.id).at(-1)
    return { pair, status }
  }

  /** The pair shows "folder missing"; a few settle periods later, every remote object is still there. */
  async function expectMissingAndKept(
    status: () => { state: string; pendingFiles?: number; error?: { code: string } } | undefined,
    prefix: string,
  ) {
    await until(() => status()?.state === 'missing', 15_000, 'the pair to show "folder missing"')
    expect(status()?.error?.code).toBe('FOLDER_MISSING')
    expect(
      h?.activity.some((a) => a.level === 'warning' && /is missing|no longer mounted/.test(a.message)),
    ).toBe(true)
    await new Promise((r) => setTimeout(r, 2500))
    expect(status()?.state).toBe('missing')
    // The deletions the watcher reported are not work waiting to be done.
    expect(status()?.pendingFiles).toBe(0)
    expect(await remoteKeys(bucket, prefix)).toEqual(FILES.map((f) => prefix + f).sort())
  }

  /** Back: a new file is uploaded (encrypted), the old objects are still there, the pair is idle again. */
  async function expectResumed(folder: string, status: () => { state: string } | undefined, prefix: string) {
    await writeFile(join(folder, 'after.txt'), randomBytes(2000))
    await eventually(
      async () => (await remoteKeys(bucket, prefix)).includes(`${prefix}after.txt`),
      'the upload after the folder came back',
    )
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}after.txt` }),
    )
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
    expect(await remoteKeys(bucket, prefix)).toEqual([...FILES, 'after.txt'].map((f) => prefix + f).sort())
    await until(() => status()?.state === 'idle', 15_000, 'the pair to be idle again')
  }

  it('renamed away: nothing deleted remotely; renamed back: syncing resumes', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'obs-sync-missing-'))
    const folder = join(parent, 'watched')
    await fillFolder(folder)
    const { status } = await startMirror(folder, 'renamed/')
    await rename(folder, join(parent, 'elsewhere'))
    await expectMissingAndKept(status, 'renamed/')
    await rename(join(parent, 'elsewhere'), folder)
    await expectResumed(folder, status, 'renamed/')
  })

  it('deleted: nothing deleted remotely; restored: syncing resumes', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'obs-sync-missing-'))
    const folder = join(parent, 'watched')
    await fillFolder(folder)
    await cp(folder, join(parent, 'backup'), { recursive: true, preserveTimestamps: true })
    const { status } = await startMirror(folder, 'deleted/')
    await rm(folder, { recursive: true })
    await expectMissingAndKept(status, 'deleted/')
    // Put back whole (a folder that came back empty would be an emptied folder: a deletion of every file).
    await rename(join(parent, 'backup'), folder)
    await expectResumed(folder, status, 'deleted/')
  })

  it('its disk unmounted (an empty mount point left): nothing deleted remotely; mounted again: resumes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-mountpoint-'))
    const backup = await mkdtemp(join(tmpdir(), 'obs-sync-mount-backup-'))
    // Root here (CI too): a mount that fails fails the test, it is never skipped.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', folder])
    mounts.push(folder)
    await fillFolder(folder)
    // The disk that comes back later: another tmpfs holding a copy of the files.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', backup])
    mounts.push(backup)
    await cp(folder, backup, { recursive: true, preserveTimestamps: true })
    const { status } = await startMirror(folder, 'mounted/')
    execFileSync('umount', [folder])
    mounts.splice(mounts.indexOf(folder), 1)
    await expectMissingAndKept(status, 'mounted/')
    // Mounted again with its files at once, as a disk comes back (a bind mount of the other tmpfs).
    execFileSync('mount', ['--bind', backup, folder])
    mounts.unshift(folder)
    await expectResumed(folder, status, 'mounted/')
  })
})
