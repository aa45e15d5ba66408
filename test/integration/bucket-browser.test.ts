import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  GetBucketEncryptionCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type AppServices, createAppServices } from '../../main/services'
import type { DeleteProgress } from '../../preload/contract/browser-models'
import { addHarnessAccount, type CliRun, runCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const s3 = () => independentClient(rgw)

async function putMany(bucket: string, keys: string[]): Promise<void> {
  const client = s3()
  let next = 0
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }))
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
}

/** Every key in the bucket, read with rclone (an independent client), not with our code. */
async function rcloneKeys(bucket: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('rclone', ['lsf', '-R', '--files-only', `r:${bucket}`], {
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'AWS_CA_BUNDLE')),
      RCLONE_CONFIG_R_TYPE: 's3',
      RCLONE_CONFIG_R_PROVIDER: 'Ceph',
      RCLONE_CONFIG_R_ENDPOINT: rgw.httpsEndpoint,
      RCLONE_CONFIG_R_ACCESS_KEY_ID: rgw.accessKeyId,
      RCLONE_CONFIG_R_SECRET_ACCESS_KEY: rgw.secretAccessKey,
      RCLONE_CA_CERT: rgw.caFile,
    },
    maxBuffer: 64 * 1024 * 1024,
  })
  return stdout.split('\n').filter(Boolean).sort()
}

async function bucketExists(bucket: string): Promise<boolean> {
  try {
    await s3().send(new HeadBucketCommand({ Bucket: bucket }))
    return true
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false
    throw error
  }
}

describe('bucket browser operations against RGW, read back independently', () => {
  let home: string
  const cli = (args: string[], input?: string): Promise<CliRun> =>
    runCli(['--data-dir', home, ...args], {}, input)

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-browser-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
  })

  describe('through the contract in-process (batches and progress)', () => {
    let services: AppServices
    beforeAll(() => {
      services = createAppServices({ dataDir: home, host: 'web', log: () => {} })
    })
    afterAll(() => services.shutdown())

    it('deletes a 1,200-object folder in batches of 1,000 with progress, and keys beside it; nothing else', async () => {
      const bucket = await freshBucket(rgw, 'del')
      const inFolder = Array.from({ length: 1200 }, (_, i) => `photos/${String(i).padStart(5, '0')}.jpg`)
      await putMany(bucket, [...inFolder, 'photos/', 'a.txt', 'b.txt', 'keep.txt', 'photos-not/x.txt'])
      const [account] = await services.accounts.list()
      const call = async (channel: string, ...args: unknown[]) => {
        const answer = await services.dispatch(channel, args)
        if (!answer.ok) throw new Error(answer.error.message)
        return answer.value as never
      }
      const targets = { accountId: account!.id, bucket, keys: ['a.txt', 'b.txt'], prefixes: ['photos/'] }
      const plan = await call('storage:delete-plan', targets)
      expect(plan).toEqual({
        objectCount: 2,
        folders: [{ prefix: 'photos/', objectCount: 1201 }],
        total: 1203,
        versioning: 'disabled',
      })
      const progress: DeleteProgress[] = []
      const stop = services.bus.on('storage:delete-progress', (p) => progress.push(p))
      const result = await call('storage:delete', { ...targets, operationId: 'op-1' })
      stop()
      expect(result).toMatchObject({ deleted: 1203, failedCount: 0, failures: [] })
      // 1 batch for the two keys, 2 for the folder's 1,201 keys (1,000 + 201), then "done".
      expect(progress.map((p) => p.deleted)).toEqual([2, 1002, 1203, 1203])
      expect(progress.at(-1)).toMatchObject({ operationId: 'op-1', done: true, failed: 0 })
      expect(await rcloneKeys(bucket)).toEqual(['keep.txt', 'photos-not/x.txt'])
    }, 120_000)
  })

  it('rm lists the keys the server refused (bucket policy) and deletes the rest', async () => {
    const bucket = await freshBucket(rgw, 'part')
    await putMany(bucket, ['docs/a.txt', 'docs/b.txt', 'docs/locked/c.txt', 'docs/locked/d.txt'])
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:DeleteObject',
          Resource: `arn:aws:s3:::${bucket}/docs/locked/*`,
        },
      ],
    }
    await s3().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }))
    const run = await cli(['rm', '--recursive', '--yes', `${bucket}/docs/`])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Deleted 2 objects')
    expect(run.stdout).toContain('2 could not be deleted:')
    expect(run.stdout).toMatch(/docs\/locked\/c\.txt: .*AccessDenied/)
    expect(await rcloneKeys(bucket)).toEqual(['docs/locked/c.txt', 'docs/locked/d.txt'])
  }, 60_000)

  it('rm asks first, naming what goes, and deletes nothing without a yes', async () => {
    const bucket = await freshBucket(rgw, 'ask')
    await putMany(bucket, ['one.txt', 'two.txt', 'photos/1.jpg', 'photos/2.jpg', 'photos/3.jpg'])
    const no = await cli(['rm', '-r', `${bucket}/one.txt`, `${bucket}/photos`], 'n\n')
    expect(no.stderr).toContain(`Delete 1 object and the folder photos/ (3 objects) from "${bucket}"?`)
    expect(no.code).toBe(2)
    const folderWithoutR = await cli(['rm', '--yes', `${bucket}/photos/`])
    expect(folderWithoutR.code).toBe(2)
    expect(folderWithoutR.stderr).toContain('add --recursive')
    const typo = await cli(['rm', '--yes', `${bucket}/one.txt`, `${bucket}/nope.txt`])
    expect(typo.code).toBe(1)
    expect(typo.stderr).toContain('There is no object or folder "nope.txt"')
    expect(await rcloneKeys(bucket)).toHaveLength(5)
    const yes = await cli(['rm', '-r', `${bucket}/one.txt`, `${bucket}/photos`], 'y\n')
    expect(yes.code).toBe(0)
    expect(await rcloneKeys(bucket)).toEqual(['two.txt'])
  }, 60_000)

  it('rm in a versioned bucket says a delete marker is written, and one is', async () => {
    const bucket = await freshBucket(rgw, 'ver')
    await s3().send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    )
    await putMany(bucket, ['report.pdf'])
    const run = await cli(['rm', `${bucket}/report.pdf`], 'y\n')
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('a delete marker is written for each object')
    expect(run.stdout).toContain('1 delete markers written')
    const versions = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))
    expect(versions.DeleteMarkers?.map((m) => m.Key)).toEqual(['report.pdf'])
    expect(versions.Versions?.map((v) => v.Key)).toEqual(['report.pdf'])
  }, 60_000)

  it('mkdir writes a zero-byte "name/" object and refuses an existing folder', async () => {
    const bucket = await freshBucket(rgw, 'dir')
    const made = await cli(['mkdir', `${bucket}/projects/2026`])
    expect(made.code).toBe(0)
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'projects/2026/' }))
    expect(head.ContentLength).toBe(0)
    const again = await cli(['mkdir', `${bucket}/projects/2026`])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already exists')
  })

  it('mb checks the name before sending, creates the bucket, and refuses one that exists', async () => {
    const bad = await cli(['mb', 'Bad_Name'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('only lowercase letters')
    expect(await bucketExists('Bad_Name')).toBe(false)
    const name = `mb-${randomBytes(5).toString('hex')}`
    const made = await cli(['--json', 'mb', name])
    expect(made.code).toBe(0)
    expect(JSON.parse(made.stdout)).toEqual({ name })
    expect(await bucketExists(name)).toBe(true)
    const again = await cli(['mb', name])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`You already have a bucket named "${name}"`)
  })

  it('mb with a default encryption on RGW is refused before the bucket is created', async () => {
    const name = `mbenc-${randomBytes(5).toString('hex')}`
    const run = await cli(['mb', name, '--sse', 'kms', '--kms-key', rgw.kmsKeyIds[0]!])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('not supported by this server')
    expect(await bucketExists(name)).toBe(false)
  })

  it('bucket-encryption --remove on RGW is never sent: "not supported", and the EMPTY bucket still exists', async () => {
    // RGW 16 takes DELETE /bucket?encryption for DELETE /bucket: an empty bucket would be gone.
    const bucket = await freshBucket(rgw, 'keep')
    const run = await cli(['bucket-encryption', bucket, '--remove'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('not supported by this server')
    expect(await bucketExists(bucket)).toBe(true)
    const set = await cli(['bucket-encryption', bucket, '--sse', 'obs'])
    expect(set.code).toBe(1)
    expect(set.stderr).toContain('not supported by this server')
    // RGW answers GET ?encryption with a listing: nothing was set.
    const answer = await s3().send(new GetBucketEncryptionCommand({ Bucket: bucket }))
    expect(answer.ServerSideEncryptionConfiguration?.Rules ?? []).toEqual([])
    const show = await cli(['bucket-encryption', bucket])
    expect(show.code).toBe(0)
    expect(show.stdout).toContain(`Default encryption of "${bucket}": unknown`)
  })
})
