import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'
import { type AppServices, createAppServices } from '../../main/services'
import type { Envelope } from '../../preload/contract/envelope'
import type { AccountInput } from '../../preload/contract/models'
import { jobEvent, ok } from '../support/app-services'
import { harnessAccountInput } from '../support/queue-harness'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')
const WRONG = 'wrong-secret-00000000000000000000000000000'

/**
 * One long-lived process (the services object every shell runs on), driven through the contract as the windows
 * and the CLI drive it: an account edit must apply to the next request of every user, with no restart.
 */
describe('an account edit applies at once, in the same process', () => {
  let services: AppServices | undefined
  afterEach(async () => {
    await services?.shutdown()
    services = undefined
  })

  async function start(): Promise<AppServices> {
    services = createAppServices({
      dataDir: await mkdtemp(join(tmpdir(), 'obs-sync-lifecycle-')),
      host: 'web',
      secrets: createKeytarStore(`OBS Sync (lifecycle ${randomUUID()})`),
      log: () => {},
    })
    await services.start()
    return services
  }
  async function call<T>(s: AppServices, channel: string, ...args: unknown[]): Promise<Envelope<T>> {
    return (await s.dispatch(channel, args)) as Envelope<T>
  }
  const input = (secretAccessKey: string): AccountInput => harnessAccountInput(rgw, { secretAccessKey })
  async function localFile(): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), 'obs-sync-lifecycle-file-')), 'report.txt')
    await writeFile(path, randomBytes(4096))
    return path
  }
  const enqueue = (s: AppServices, accountId: string, bucket: string, path: string) =>
    ok<{ jobIds: number[] }>(s, 'queue:enqueue', {
      accountId,
      bucket,
      prefix: 'lifecycle',
      paths: [path],
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
    })

  it('wrong secret -> browse fails and the upload is held -> fixed via accounts:update -> browse works and the held upload completes', async () => {
    const s = await start()
    const bucket = await freshBucket(rgw, 'lifecycle')
    const changes: number[] = []
    s.bus.on('accounts:changed', (list) => changes.push(list.length))
    const account = await ok<{ id: string }>(s, 'accounts:add', input(WRONG))

    const browse = await call(s, 'storage:buckets', account.id)
    expect(browse).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    const held = jobEvent(s, (job) => job.error?.code === 'BAD_CREDENTIALS' && job.state === 'queued')
    const { jobIds } = await enqueue(s, account.id, bucket, await localFile())
    expect((await held).id).toBe(jobIds[0])
    expect((await ok<{ state: string }>(s, 'status:get')).state).toBe('error')

    const done = jobEvent(s, (job) => job.id === jobIds[0] && job.state === 'done')
    await ok(s, 'accounts:update', account.id, input(rgw.secretAccessKey))
    expect(changes.length).toBeGreaterThanOrEqual(2)
    const buckets = await ok<{ name: string }[]>(s, 'storage:buckets', account.id)
    expect(buckets.map((b) => b.name)).toContain(bucket)
    await done
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'lifecycle/report.txt' }),
    )
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: rgw.kmsKeyIds[0] })
  })

  it('right secret -> wrong via accounts:update -> the next browse and upload fail with BAD_CREDENTIALS', async () => {
    const s = await start()
    const bucket = await freshBucket(rgw, 'lifecycle')
    const account = await ok<{ id: string }>(s, 'accounts:add', input(rgw.secretAccessKey))
    expect((await ok<{ name: string }[]>(s, 'storage:buckets', account.id)).length).toBeGreaterThan(0)
    const first = await enqueue(s, account.id, bucket, await localFile())
    expect((await s.queue.waitFor(first.jobIds))[0]?.state).toBe('done')

    await ok(s, 'accounts:update', account.id, input(WRONG))
    expect(await call(s, 'storage:buckets', account.id)).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    })
    const held = jobEvent(s, (job) => job.error?.code === 'BAD_CREDENTIALS')
    const second = await enqueue(s, account.id, bucket, await localFile())
    expect((await held).id).toBe(second.jobIds[0])
  })
})
