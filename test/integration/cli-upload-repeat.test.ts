import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, runCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

/**
 * Uploading the same unchanged files again. A finished upload stands for its file only while it is what the
 * user asks for now: another KMS key, or an object deleted from the bucket since, means the file is sent again.
 * Found by a user walk: `obs-sync upload` with another key (even one the server lacks) answered "2 uploaded"
 * and exit 0 while the bucket kept the old key, and an object deleted meanwhile was reported uploaded, not sent.
 */
describe('obs-sync upload of files uploaded before', () => {
  let home: string
  let bucket: string
  let dir: string
  const s3 = independentClient(rgw)
  const [firstKey, secondKey] = rgw.kmsKeyIds as [string, string]
  const upload = (kmsKey: string) =>
    runCli(['--data-dir', home, 'upload', dir, '--bucket', bucket, '--sse', 'kms', '--kms-key', kmsKey])
  const keyOf = async (name: string) =>
    (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${dir.split('/').at(-1)}/${name}` })))
      .SSEKMSKeyId
  const read = async (name: string) =>
    (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${dir.split('/').at(-1)}/${name}` }))
    ).Body?.transformToString()

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-repeat-home-'))
    bucket = await freshBucket(rgw, 'repeat')
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-repeat-'))
    await writeFile(join(dir, 'a.txt'), 'alpha')
    await writeFile(join(dir, 'b.txt'), 'bravo')
  })

  it('the same key again sends nothing; another key sends both files again under it', async () => {
    const first = await upload(firstKey)
    expect(first.code).toBe(0)
    expect(await keyOf('a.txt')).toBe(firstKey)

    const again = await upload(firstKey)
    expect(again.code).toBe(0)
    expect(again.stdout).not.toMatch(/^uploaded /m)

    const rekeyed = await upload(secondKey)
    expect(rekeyed.stderr).toBe('')
    expect(rekeyed.code).toBe(0)
    expect(rekeyed.stdout).toMatch(/^uploaded .*a\.txt$/m)
    expect(await keyOf('a.txt')).toBe(secondKey)
    expect(await keyOf('b.txt')).toBe(secondKey)
  })

  it('an object deleted from the bucket since is sent again, not reported uploaded', async () => {
    const name = dir.split('/').at(-1)
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${name}/b.txt` }))
    const run = await upload(secondKey)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^uploaded .*b\.txt$/m)
    expect(run.stdout).not.toMatch(/^uploaded .*a\.txt$/m)
    expect(await read('b.txt')).toBe('bravo')
    expect(await keyOf('b.txt')).toBe(secondKey)
  })

  it('a key the server lacks fails instead of standing on the earlier upload', async () => {
    const wrong = await upload('no-such-key-7')
    expect(wrong.code).toBe(1)
    expect(wrong.stdout.trim().split('\n').at(-1)).toMatch(/^0 uploaded, 1 failed, 1 held/)
    expect(await keyOf('a.txt')).toBe(secondKey)
  })

  it('run again with the right key, the held and failed jobs of the wrong one are replaced, not waited on', async () => {
    const right = await upload(firstKey)
    expect(right.stderr).toBe('')
    expect(right.code).toBe(0)
    expect(right.stdout.trim().split('\n').at(-1)).toBe('2 uploaded.')
    expect(await keyOf('a.txt')).toBe(firstKey)
    expect(await keyOf('b.txt')).toBe(firstKey)
    // The wrong key's failure is moot now: the queue no longer reports it.
    const status = await runCli(['--data-dir', home, 'status'])
    expect(status.stdout).toMatch(/failed 0/)
    expect(status.stdout).not.toMatch(/no-such-key-7/)
  })

  it('back to a key used before another: sent again, not answered by the older finished upload', async () => {
    expect((await upload(secondKey)).code).toBe(0)
    expect(await keyOf('a.txt')).toBe(secondKey)
    const back = await upload(firstKey)
    expect(back.code).toBe(0)
    expect(back.stdout).toMatch(/^uploaded .*a\.txt$/m)
    expect(await keyOf('a.txt')).toBe(firstKey)
    expect(await keyOf('b.txt')).toBe(firstKey)
  })

  it('an object another tool replaced since (same size) is sent again', async () => {
    const name = dir.split('/').at(-1)
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${name}/a.txt`, Body: 'ALPHA' }))
    const run = await upload(firstKey)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^uploaded .*a\.txt$/m)
    expect(run.stdout).not.toMatch(/^uploaded .*b\.txt$/m)
    expect(await read('a.txt')).toBe('alpha')
    expect(await keyOf('a.txt')).toBe(firstKey)
  })
})
