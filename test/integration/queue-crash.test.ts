import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, runCli, startCli } from '../support/cli'
import { freshBucket, independentClient, storedObjects } from '../support/s3'

const { rgw } = inject('services')
const FILES = 300
const KILLS = 10
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')

// Issue 4: a child process running the queue over 300 files is killed with SIGKILL at random moments; after
// each restart it continues; at the end every object exists once with the right SHA-256 and encryption.
describe('crash safety: obs-sync upload killed with SIGKILL ten times', () => {
  let bucket: string
  let dataDir: string
  let source: string
  const hashes = new Map<string, string>()

  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'crash')
    dataDir = await mkdtemp(join(tmpdir(), 'obs-sync-crash-home-'))
    source = join(await mkdtemp(join(tmpdir(), 'obs-sync-crash-src-')), 'batch')
    await mkdir(join(source, 'sub'), { recursive: true })
    for (let i = 0; i < FILES; i++) {
      const data = randomBytes(16 * 1024)
      const rel = `${i % 3 === 0 ? 'sub/' : ''}file-${String(i).padStart(3, '0')}.bin`
      await writeFile(join(source, rel), data)
      hashes.set(`crash/batch/${rel}`, sha256(data))
    }
    const added = await addHarnessAccount(dataDir, rgw)
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
  })

  /** Uploads recorded done in queue.db, once more than `count` (read while the CLI runs: WAL readers are fine). */
  async function progressSince(count: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      let done = 0
      try {
        const db = new Database(join(dataDir, 'queue.db'), { readonly: true, fileMustExist: true })
        done = (db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE state = 'done'").get() as { n: number }).n
        db.close()
      } catch {
        // Not created yet by the first run.
      }
      if (done > count || Date.now() > deadline) return done
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  it('continues after every kill and ends with each object once, complete and encrypted', async () => {
    const upload = [
      '--data-dir',
      dataDir,
      // 200 KiB/s: the batch (4.8 MB) takes ~24 s of upload time, more than ten rounds of 0.4-1.8 s (each also
      // waits for one upload of its own to finish), so every round is cut short however fast the rest of a run is.
      '--bandwidth',
      '200',
      'upload',
      source,
      '--bucket',
      bucket,
      '--prefix',
      'crash',
      '--sse',
      'kms',
      '--kms-key',
      rgw.kmsKeyIds[2]!,
    ]
    const killedAt: number[] = []
    let doneBefore = 0
    for (let round = 0; round < KILLS; round++) {
      const child = startCli(upload)
      const delay = 400 + Math.floor(Math.random() * 1400)
      await new Promise((r) => setTimeout(r, delay))
      // Kill only once this run has made progress of its own (more uploads recorded done than at the last
      // kill): a kill before any progress would prove nothing about resuming.
      const progressed = await progressSince(doneBefore, 60_000)
      expect(progressed, `round ${round}: no upload finished since the last kill`).toBeGreaterThan(doneBefore)
      doneBefore = progressed
      child.kill('SIGKILL')
      const run = await child.result
      // A round that finished before the kill is fine too; most are killed mid-batch.
      if (run.signal === 'SIGKILL') killedAt.push(delay)
      else expect(run.code).toBe(0)
    }
    expect(killedAt.length).toBeGreaterThanOrEqual(KILLS - 2)

    const final = await runCli(
      upload.filter((a, i) => !(a === '--bandwidth' || upload[i - 1] === '--bandwidth')),
    )
    expect(final.stderr).not.toContain('obs-sync:')
    expect(final.code).toBe(0)
    // A file whose upload finished just before a kill, unrecorded, is found already there (upload's default
    // --on-exists compare: our SHA-256 matches) and kept rather than sent again.
    expect(final.stdout).toMatch(/\d+ uploaded(, \d+ already there)?\./)

    const db = new Database(join(dataDir, 'queue.db'), { readonly: true })
    const states = db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
      state: string
      n: number
    }[]
    db.close()
    expect(states.filter((s) => s.state !== 'done')).toEqual([])

    const reader = independentClient(rgw)
    const keys = (await storedObjects(rgw, bucket, 'crash/')).map((o) => o.key)
    expect(keys.sort()).toEqual([...hashes.keys()].sort())
    for (const key of keys) {
      const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      expect(head.ServerSideEncryption).toBe('aws:kms')
      expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[2])
      expect(head.Metadata?.sha256).toBe(hashes.get(key))
      const body = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      expect(sha256(await body.Body!.transformToByteArray())).toBe(hashes.get(key))
    }
  }, 600_000)
})
