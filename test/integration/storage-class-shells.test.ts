import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'
import { type AppServices, createAppServices } from '../../main/services'
import type { Job } from '../../preload/contract/queue-models'
import type { SyncPair, SyncPairInput } from '../../preload/contract/sync-models'
import { jobEvent, ok } from '../support/app-services'
import { cliPlace, runCli } from '../support/cli'
import { harnessAccountInput } from '../support/queue-harness'
import { freshBucket, independentClient } from '../support/s3'

// The harness RGW has a second storage class, COLD (test/support/rgw.sh); an independent client reads it back.
const { rgw } = inject('services')
const classOf = async (bucket: string, key: string) =>
  (await independentClient(rgw).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).StorageClass ??
  'STANDARD'

describe('storage classes in the CLI listing and in watched folders', () => {
  it('obs-sync ls shows each object’s class beside its size', async () => {
    const { home, bucket, dir } = await cliPlace(rgw, 'cli-class')
    await writeFile(join(dir, 'archive.tar'), 'cold bytes')
    await writeFile(join(dir, 'notes.txt'), 'standard bytes')
    const cli = (args: string[]) => runCli(['--data-dir', home, ...args])
    const cold = await cli([
      'upload',
      join(dir, 'archive.tar'),
      '--bucket',
      bucket,
      '--storage-class',
      'COLD',
    ])
    expect(cold.code).toBe(0)
    expect((await cli(['upload', join(dir, 'notes.txt'), '--bucket', bucket])).code).toBe(0)

    const ls = await cli(['ls', bucket])
    expect(ls.code).toBe(0)
    const lines = ls.stdout.split('\n')
    expect(lines.find((l) => l.endsWith('archive.tar'))).toMatch(/^\s+10 B\s+COLD\s+archive\.tar$/)
    expect(lines.find((l) => l.endsWith('notes.txt'))).toMatch(/^\s+14 B\s+Standard\s+notes\.txt$/)
    const json = JSON.parse((await cli(['--json', 'ls', bucket])).stdout)
    expect(json.objects).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'archive.tar', storageClass: 'COLD' })]),
    )
  })

  let services: AppServices | undefined
  afterEach(async () => {
    await services?.shutdown()
    services = undefined
  })

  it('a watched folder’s class applies to its uploads; changing it later applies to new uploads only', async () => {
    services = createAppServices({
      dataDir: await mkdtemp(join(tmpdir(), 'obs-sync-pair-class-')),
      host: 'web',
      secrets: createKeytarStore(`OBS Sync (class ${randomUUID()})`),
      log: () => {},
    })
    const s = services
    await s.start()
    const done = (key: string) => jobEvent(s, (j) => j.key === key && j.state === 'done')
    const account = await ok<{ id: string }>(s, 'accounts:add', harnessAccountInput(rgw))
    const bucket = await freshBucket(rgw, 'pair-class')
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-pair-class-src-'))
    await writeFile(join(folder, 'first.txt'), 'first')
    const input: SyncPairInput = {
      localPath: folder,
      accountId: account.id,
      bucket,
      prefix: 'cold',
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
      storageClass: 'COLD',
      mode: 'upload-only',
      mirrorDeleteCapPercent: 10,
    }
    const firstDone = done('cold/first.txt')
    const pair = await ok<SyncPair>(s, 'sync:add', input)
    expect(pair.storageClass).toBe('COLD')
    expect((await firstDone).storageClass).toBe('COLD')
    expect(await classOf(bucket, 'cold/first.txt')).toBe('COLD')

    // Back to the bucket's default: a new file is stored STANDARD, the first one is not uploaded again.
    const secondDone = done('cold/second.txt')
    const updated = await ok<SyncPair>(s, 'sync:update', pair.id, { ...input, storageClass: undefined })
    expect(updated.storageClass).toBeUndefined()
    await writeFile(join(folder, 'second.txt'), 'second')
    expect((await secondDone).storageClass).toBeUndefined()
    expect(await classOf(bucket, 'cold/second.txt')).toBe('STANDARD')
    expect(await classOf(bucket, 'cold/first.txt')).toBe('COLD')
    const uploads = (await ok<{ jobs: Job[] }>(s, 'queue:page', { limit: 500 })).jobs.filter(
      (j) => j.key === 'cold/first.txt',
    )
    expect(uploads).toHaveLength(1)
  })
})
