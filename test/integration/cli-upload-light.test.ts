import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, kmsTarget, runCli } from '../support/cli'
import { freshBucket, independentClient, objectBytes, storedObjects } from '../support/s3'

const { rgw } = inject('services')
const PROBE = resolve(import.meta.dirname, '../support/loaded-modules-probe.cjs')

/**
 * An upload of many small files sends each as one signed PUT and lists the folder once (the check for objects
 * already there) with the app's own signed requests: the SDK's S3 client (~170 ms of CPU and ~20 MB of memory to
 * load) is never needed, so it is never loaded. Measured by what the real CLI process loaded, against RGW.
 */
describe('obs-sync upload of small files, without the SDK client', () => {
  let home: string
  let dir: string
  let single: string
  let bucket: string
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-light-home-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    bucket = await freshBucket(rgw, 'light')
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-light-'))
    for (let i = 0; i < 20; i++) await writeFile(join(dir, `f-${i}.txt`), `file ${i}`)
    single = await mkdtemp(join(tmpdir(), 'obs-sync-light-one-'))
    await writeFile(join(single, 'note.txt'), 'one file')
  })

  async function uploadLoading(...extra: string[]) {
    return uploadOf(dir, ...extra)
  }

  async function uploadOf(path: string, ...extra: string[]) {
    const probeOut = join(home, `loaded-${Date.now()}.txt`)
    const run = await runCli(
      ['--data-dir', home, 'upload', path, ...kmsTarget(bucket, rgw.kmsKeyIds[0]!), ...extra],
      { NODE_OPTIONS: `--require ${PROBE}`, OBS_SYNC_TEST_LOADED_MODULES: probeOut },
    )
    return { run, loaded: (await readFile(probeOut, 'utf8')).split('\n') }
  }

  it('uploads 20 files after listing the folder, and loads neither the S3 client nor its HTTP handler', async () => {
    const { run, loaded } = await uploadLoading('--on-exists', 'skip')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^20 uploaded\.$/m)
    expect((await storedObjects(rgw, bucket)).map((o) => o.key).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `${basename(dir)}/f-${i}.txt`).sort(),
    )
    // The probe works: the signer the PUTs need was loaded.
    expect(loaded).toContain('@smithy/signature-v4')
    expect(loaded).not.toContain('@aws-sdk/client-s3')
    expect(loaded).not.toContain('@smithy/node-http-handler')
  })

  it('the same files again: the listing finds them all, nothing is sent, still without the S3 client', async () => {
    const { run, loaded } = await uploadLoading('--on-exists', 'skip')
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/^uploaded /m)
    expect(loaded).not.toContain('@aws-sdk/client-s3')
  })

  it('one file onto an object another tool wrote, "keep both": names looked up by listings of the keys, no S3 client', async () => {
    const folder = basename(single)
    await independentClient(rgw).send(
      new PutObjectCommand({ Bucket: bucket, Key: `${folder}/note.txt`, Body: 'written by another tool' }),
    )
    const { run, loaded } = await uploadOf(single, '--on-exists', 'rename')
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/^1 uploaded\.$/m)
    expect(loaded).not.toContain('@aws-sdk/client-s3')
    // The listing of "note.txt" found the other tool's object, the one of "note (1).txt" nothing.
    const stored = await storedObjects(rgw, bucket)
    expect(
      stored
        .filter((o) => o.key.startsWith(`${folder}/`))
        .map((o) => o.key)
        .sort(),
    ).toEqual([`${folder}/note (1).txt`, `${folder}/note.txt`])
    expect(await objectBytes(rgw, bucket, `${folder}/note.txt`)).toEqual(
      Buffer.from('written by another tool'),
    )
  })

  it('one file under "compare" onto an object of the same size: a HEAD is needed (the encryption) and it is sent', async () => {
    const other = await mkdtemp(join(tmpdir(), 'obs-sync-light-same-'))
    await writeFile(join(other, 'same.txt'), 'one file')
    await independentClient(rgw).send(
      new PutObjectCommand({ Bucket: bucket, Key: `${basename(other)}/same.txt`, Body: 'one FILE' }),
    )
    const { run, loaded } = await uploadOf(other, '--on-exists', 'compare')
    expect(run.code).toBe(0)
    // Stored without the SSE-KMS this upload asks for: replaced, found out by the HEAD.
    expect(run.stdout).toMatch(/^1 uploaded\.$/m)
    expect(await objectBytes(rgw, bucket, `${basename(other)}/same.txt`)).toEqual(Buffer.from('one file'))
    // Only here does the S3 client load: the probe sees it (else the tests above could not fail).
    expect(loaded).toContain('@aws-sdk/client-s3')
  })

  it('an account that may not list the bucket: each of a few files is looked up with a HEAD, and the rule holds', async () => {
    const locked = await freshBucket(rgw, 'nolist')
    const files = await mkdtemp(join(tmpdir(), 'obs-sync-light-nolist-'))
    await writeFile(join(files, 'kept.txt'), 'mine')
    await writeFile(join(files, 'new.txt'), 'new')
    const s3 = independentClient(rgw)
    await s3.send(
      new PutObjectCommand({ Bucket: locked, Key: `${basename(files)}/kept.txt`, Body: 'theirs' }),
    )
    // RGW applies an explicit Deny to the bucket's owner too: listings are refused, HEAD and PUT are not.
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${locked}` },
      ],
    }
    await s3.send(new PutBucketPolicyCommand({ Bucket: locked, Policy: JSON.stringify(policy) }))
    const run = await runCli([
      '--data-dir',
      home,
      'upload',
      files,
      ...kmsTarget(locked, rgw.kmsKeyIds[0]!),
      '--on-exists',
      'skip',
    ])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/kept .*kept\.txt \(an object of that name is already there\)/)
    expect(run.stdout).toMatch(/^1 uploaded, 1 already there\.$/m)
    expect(await objectBytes(rgw, locked, `${basename(files)}/kept.txt`)).toEqual(Buffer.from('theirs'))
    expect(await objectBytes(rgw, locked, `${basename(files)}/new.txt`)).toEqual(Buffer.from('new'))
  })
})
