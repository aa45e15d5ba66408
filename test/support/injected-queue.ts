import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJobStore, type JobStore, type NewJob } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import { createUploadQueue, type UploadQueueOptions } from '../../main/core/queue/upload-queue'
import type { S3Connection } from '../../main/core/storage/s3-client'
import type { Account } from '../../preload/contract/models'

/** The account of queues whose transfer is injected (no server is ever asked). */
export const injectedAccount: Account = {
  id: 'acct',
  name: 'rgw',
  provider: 'ceph-rgw',
  endpoint: 'https://rgw.invalid',
  region: 'us-east-1',
  addressing: 'path',
  accessKeyId: 'AK',
}

/** A job of that account: `k<i>` from `/tmp/f<i>`, SSE-KMS with `keyId`. */
export function injectedJob(
  i: number,
  fields: { keyId?: string; bucket?: string; size?: number } = {},
): NewJob {
  return {
    accountId: injectedAccount.id,
    bucket: fields.bucket ?? 'b',
    key: `k${i}`,
    sourcePath: `/tmp/f${i}`,
    size: fields.size ?? 1,
    mtimeMs: 1,
    encryption: { choice: { mode: 'sse-kms', keyId: fields.keyId ?? 'nokey-9' }, source: 'explicit' },
    origin: 'manual',
  }
}

/** A real queue on `store` for the injected account (never started here: nothing runs until `start`). */
export function queueOn(store: JobStore, options: Partial<UploadQueueOptions> = {}) {
  return createUploadQueue({
    store,
    client: async () => ({ account: injectedAccount, ...({} as S3Connection) }),
    customerKey: async () => '',
    bucketDefault: async () => undefined,
    events: {},
    ...options,
  })
}

/**
 * A real queue on a fresh SQLite file whose transfer function is the test's (required in `options`), started;
 * `stop` it after the test.
 */
export async function injectedQueue(
  options: Partial<UploadQueueOptions> & Pick<UploadQueueOptions, 'transfer'>,
) {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-injected-'))
  const queue = queueOn(createJobStore(openQueueDatabase(join(dir, 'queue.db'))), options)
  queue.start()
  return queue
}
