import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, CLI_PATH, type CliRun } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

// Issue 14: the computer's clock 20 minutes ahead (libfaketime, Debian `faketime`, shifts the CLI's clock
// only). RGW refuses requests signed more than 15 minutes off (RequestTimeTooSkewed); the app takes the
// server's time from the Date header of that answer, signs with it and succeeds: small files (direct PUT),
// a 5 MiB file (one streamed PutObject, which cannot be re-sent as it is: the queue's retry sends it) and a
// 20 MiB multipart upload.

const { rgw } = inject('services')
const MiB = 1024 * 1024
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

function runUnderFaketime(offset: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn('faketime', ['-f', offset, process.execPath, CLI_PATH, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

describe('clock skew', () => {
  it('a clock 20 minutes ahead: corrected with the server time, every upload done and correct', async () => {
    // The wrapper works on this machine (else the test would prove nothing).
    const probe = await runUnderFaketime('+20m', ['--version'])
    expect(probe.code).toBe(0)

    const home = await mkdtemp(join(tmpdir(), 'obs-sync-skew-home-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    const bucket = await freshBucket(rgw, 'skew')
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-skew-src-'))
    const hashes = new Map<string, string>()
    for (const [name, size] of [
      ['a.txt', 100],
      ['b.txt', 2000],
      ['c.bin', 64 * 1024],
      ['streamed.bin', 5 * MiB],
      ['multipart.bin', 20 * MiB],
    ] as const) {
      const data = randomBytes(size)
      await writeFile(join(dir, name), data)
      // A folder given to `upload` keeps its name under the prefix.
      hashes.set(`skew/${basename(dir)}/${name}`, sha256(data))
    }
    const run = await runUnderFaketime('+20m', [
      '--data-dir',
      home,
      'upload',
      dir,
      '--bucket',
      bucket,
      '--prefix',
      'skew',
      '--sse',
      'kms',
      '--kms-key',
      rgw.kmsKeyIds[0]!,
    ])
    expect(run.stderr).not.toMatch(/obs-sync:/)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^5 uploaded\.$/m)

    const reader = independentClient(rgw)
    const listing = await reader.send(new ListObjectsV2Command({ Bucket: bucket }))
    expect((listing.Contents ?? []).map((o) => o.Key).sort()).toEqual([...hashes.keys()].sort())
    for (const [key, hash] of hashes) {
      const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
      const body = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      expect(sha256(await body.Body!.transformToByteArray())).toBe(hash)
    }
  }, 120_000)
  it('the listing of a many-file upload (the check for existing objects) is corrected the same way', async () => {
    const home = await mkdtemp(join(tmpdir(), 'obs-sync-skew-home-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    const bucket = await freshBucket(rgw, 'skew-list')
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-skew-src-'))
    for (let i = 0; i < 20; i++) await writeFile(join(dir, `f-${i}.txt`), `file ${i}`)
    const upload = () =>
      runUnderFaketime('+20m', ['--data-dir', home, 'upload', dir, '--bucket', bucket, '--on-exists', 'skip'])
    const first = await upload()
    expect(first.stderr).not.toMatch(/obs-sync:/)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^20 uploaded\.$/m)
    // A second run lists the folder, finds every file there and sends nothing.
    await independentClient(rgw).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${basename(dir)}/f-0.txt`,
        Body: 'changed by another tool',
      }),
    )
    const second = await upload()
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/kept .*f-0\.txt \(an object of that name is already there\)/)
    expect(second.stdout).not.toMatch(/^uploaded /m)
    const changed = await independentClient(rgw).send(
      new GetObjectCommand({ Bucket: bucket, Key: `${basename(dir)}/f-0.txt` }),
    )
    expect(await changed.Body!.transformToString()).toBe('changed by another tool')
  }, 120_000)
})
