import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'
import { type AppServices, createAppServices } from '../../main/services'
import type { Job } from '../../preload/contract/queue-models'
import type { SyncPair, SyncPairStatus } from '../../preload/contract/sync-models'
import { jobEvent, ok } from '../support/app-services'
import { cliPlace, runCli } from '../support/cli'
import { harnessAccountInput } from '../support/queue-harness'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

/**
 * Ceph RGW 16 accepts SSE-S3/SSE-OBS (AES256), stores the object in plaintext and answers no encryption header.
 * What each shell shows for it: the CLI exits 1 naming it, a watched folder shows the problem and does not count
 * the file as synced (the next pass, after a restart, tries it again instead of skipping it).
 */
describe('ENCRYPTION_NOT_APPLIED as the CLI and a watched folder show it', () => {
  it('obs-sync upload --sse obs exits 1 with what was asked and what the server did', async () => {
    const { home, bucket, dir } = await cliPlace(rgw, 'cli-aes')
    await writeFile(join(dir, 'plain.txt'), 'should have been encrypted')
    const upload = await runCli([
      '--data-dir',
      home,
      'upload',
      join(dir, 'plain.txt'),
      '--bucket',
      bucket,
      '--sse',
      'obs',
    ])
    expect(upload.code).toBe(1)
    expect(upload.stderr).toMatch(/AES256.*confirmed no encryption/)
    expect(upload.stdout).not.toMatch(/uploaded plain\.txt/)
  })

  let services: AppServices | undefined
  afterEach(async () => {
    await services?.shutdown()
    services = undefined
  })

  /** `before` runs between composing and starting, so no event of the start-up pass is missed. */
  async function start(
    dataDir: string,
    keychain: string,
    before?: (s: AppServices) => void,
  ): Promise<AppServices> {
    services = createAppServices({
      dataDir,
      host: 'web',
      secrets: createKeytarStore(keychain),
      log: () => {},
    })
    before?.(services)
    await services.start()
    return services
  }
  function statusEvent(s: AppServices, test: (status: SyncPairStatus) => boolean): Promise<SyncPairStatus> {
    return new Promise((resolve) => {
      const off = s.bus.on('sync:status', (status) => {
        if (!test(status)) return
        off()
        resolve(status)
      })
    })
  }

  it('a watched folder with SSE-OBS on RGW shows the problem and does not count the file as synced', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'obs-sync-watch-aes-'))
    const keychain = `OBS Sync (aes ${randomUUID()})`
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-watch-aes-src-'))
    await writeFile(join(folder, 'ledger.csv'), 'a,b\n1,2\n')
    const bucket = await freshBucket(rgw, 'watch-aes')

    const s = await start(dataDir, keychain)
    const account = await ok<{ id: string }>(s, 'accounts:add', harnessAccountInput(rgw))
    const failedStatus = statusEvent(s, (status) => status.error?.code === 'ENCRYPTION_NOT_APPLIED')
    const pair = await ok<SyncPair>(s, 'sync:add', {
      localPath: folder,
      accountId: account.id,
      bucket,
      prefix: 'books',
      encryption: { mode: 'sse-obs' },
      mode: 'upload-only',
      mirrorDeleteCapPercent: 10,
    })
    const shown = await failedStatus
    expect(shown).toMatchObject({ id: pair.id, state: 'error' })
    expect(shown.error?.message).toMatch(/AES256.*confirmed no encryption/)
    // What the folders view reads when it opens: the same problem.
    const listed = await ok<{ pair: SyncPair; status: SyncPairStatus }[]>(s, 'sync:list')
    expect(listed.find((entry) => entry.pair.id === pair.id)?.status.error?.code).toBe(
      'ENCRYPTION_NOT_APPLIED',
    )
    await s.shutdown()
    services = undefined

    // Not recorded as synced: after a restart the catch-up pass tries the file again.
    let retried: Promise<Job> | undefined
    await start(dataDir, keychain, (again) => {
      retried = jobEvent(
        again,
        (job) =>
          job.key === 'books/ledger.csv' &&
          job.error?.code === 'ENCRYPTION_NOT_APPLIED' &&
          job.state === 'failed',
      )
    })
    expect((await retried)?.syncPairId).toBe(pair.id)
    // The server did store it, unencrypted, as the message says: an independent client sees no encryption.
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'books/ledger.csv' }),
    )
    expect(head.ServerSideEncryption).toBeUndefined()
  })
})
