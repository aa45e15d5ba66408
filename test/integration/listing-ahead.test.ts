import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createQueueHarness } from '../support/queue-harness'
import { randomFiles } from '../support/random-files'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const kms = { mode: 'sse-kms' as const, keyId: rgw.kmsKeyIds[0] }

/**
 * An upload of a folder with a rule for objects that already exist: the folder's listing is asked for while the
 * folder is walked (listing-ahead.ts) and is the one the rule uses; against RGW, the requests counted where every
 * listing of the queue's connection passes.
 */
describe('the listing of an uploaded folder, asked for ahead', () => {
  let bucket: string
  beforeAll(async () => {
    bucket = await freshBucket(rgw, 'ahead')
  })

  /** The folder uploaded under ahead/ with the rule "skip" (objects already there are kept). */
  async function uploadWithSkip(dir: string) {
    const h = await createQueueHarness(rgw)
    h.queue.start()
    const result = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket,
      prefix: 'ahead/',
      paths: [dir],
      encryption: kms,
      onExists: 'skip',
    })
    return { h, result }
  }

  const listings = (sent: string[]) =>
    sent.filter((c) => c.startsWith('ListObjectsV2Command ')).map((c) => c.split(' ')[1])

  it('is the one listing sent, and the rule decides from it', async () => {
    const { dir } = await randomFiles('obs-sync-ahead-', 20, 1024)
    const folder = `ahead/${basename(dir)}/`
    for (const name of ['f0.bin', 'f1.bin', 'f2.bin'])
      await independentClient(rgw).send(
        new PutObjectCommand({ Bucket: bucket, Key: `${folder}${name}`, Body: 'old' }),
      )
    const { h, result } = await uploadWithSkip(dir)
    expect(result.kept?.map((k) => k.key).sort()).toEqual([
      `${folder}f0.bin`,
      `${folder}f1.bin`,
      `${folder}f2.bin`,
    ])
    expect(result.jobIds).toHaveLength(17)
    expect(listings(h.sentWithKey)).toEqual([folder])
    await h.queue.stop()
  })

  it('a folder whose files all sit in one sub-folder: the sub-folder is listed too, and the rule is right', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-ahead-'))
    await mkdir(join(dir, 'only'))
    for (let i = 0; i < 20; i++) await writeFile(join(dir, 'only', `g${i}.bin`), `g${i}`)
    const folder = `ahead/${basename(dir)}/`
    await independentClient(rgw).send(
      new PutObjectCommand({ Bucket: bucket, Key: `${folder}only/g7.bin`, Body: 'old' }),
    )
    const { h, result } = await uploadWithSkip(dir)
    expect(result.kept?.map((k) => k.key)).toEqual([`${folder}only/g7.bin`])
    expect(result.jobIds).toHaveLength(19)
    expect(listings(h.sentWithKey)).toEqual([folder, `${folder}only/`])
    await h.queue.stop()
  })
})
