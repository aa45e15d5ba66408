import { join } from 'node:path'
import { createJobStore, type JobStore, type NewJob } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'

/** How a filled queue is made up (the rest of `total` is done). */
export interface QueueFill {
  total: number
  /** Failed with an unknown KMS key (one cause). */
  kmsFailed: number
  /** Failed with a missing bucket (another cause). */
  bucketFailed: number
  /** Left queued; the queue is paused by the user so that nothing runs. */
  queued: number
}

export const KMS_FAILURE = {
  code: 'KMS_KEY_NOT_FOUND',
  message:
    'KMS key "nokey-9" does not exist on this server. Choose a key of this account in the upload dialog, or add its id under Accounts → Keys.',
} as const
const BUCKET_FAILURE = {
  code: 'NO_SUCH_BUCKET',
  message: 'The bucket "gone-bucket" does not exist.',
} as const
const CHUNK = 5000

/**
 * The documented fast path to a big queue (bench:transfers, the frame-size test): real jobs inserted through the
 * job store (`insertMany`) and moved through its own transitions (`claim`, `markDone`, `finish`), in
 * transactions of 5,000, into the (fresh) data folder's queue.db. What a first pass of that many small files leaves,
 * without uploading them (~10 s for 100,000 instead of ~5 minutes against RGW).
 */
export function fillQueue(dataDir: string, fill: QueueFill): void {
  const store = createJobStore(openQueueDatabase(join(dataDir, 'queue.db')))
  const failedFrom = fill.total - fill.queued - fill.kmsFailed - fill.bucketFailed
  for (let start = 0; start < fill.total; start += CHUNK) {
    store.transaction(() => {
      const jobs: NewJob[] = []
      for (let i = start; i < Math.min(fill.total, start + CHUNK); i++) {
        jobs.push({
          accountId: 'bench-account',
          bucket:
            i >= failedFrom + fill.kmsFailed && i < fill.total - fill.queued ? 'gone-bucket' : 'bench-bucket',
          key: `photos/${String(Math.floor(i / 1000)).padStart(3, '0')}/IMG_${String(i).padStart(6, '0')}.jpg`,
          sourcePath: `/home/ana/Pictures/${String(Math.floor(i / 1000)).padStart(3, '0')}/IMG_${String(i).padStart(6, '0')}.jpg`,
          size: 16_384 + ((i * 7919) % 4_000_000),
          mtimeMs: 1_764_000_000_000 + i,
          encryption: { choice: { mode: 'sse-kms', keyId: 'testkey-1' }, source: 'explicit' },
          origin: 'sync',
          syncPairId: 'bench-pair',
        })
      }
      for (const [k, job] of store.insertMany(jobs).entries()) {
        const i = start + k
        if (i >= fill.total - fill.queued) continue
        const claimed = store.claim(job.id)!
        if (i < failedFrom)
          store.markDone(claimed, { sha256: 'ab'.repeat(32), size: job.size, mtimeMs: job.mtimeMs })
        else
          store.finish(job.id, {
            state: 'failed',
            error: i < failedFrom + fill.kmsFailed ? KMS_FAILURE : BUCKET_FAILURE,
          })
      }
    })
  }
  store.setPausedByUser(fill.queued > 0)
  store.close()
}

/** The states `fillFolder` leaves, oldest job first. */
export const FOLDER_STATES = [
  'done',
  'done',
  'cancelled',
  'failed',
  'failed',
  'paused',
  'queued',
  'queued',
] as const

/**
 * Eight jobs of one watched folder through the job store's own transitions, in FOLDER_STATES (the two failed ones
 * by KMS_FAILURE, one cause): what the scoped actions' tests narrow to and act on. Returns their ids.
 */
export function fillFolder(
  store: JobStore,
  syncPairId: string,
  job: (i: number) => NewJob,
  first: number,
): number[] {
  const ids = store
    .insertMany(Array.from({ length: 8 }, (_, k) => ({ ...job(first + k), syncPairId })))
    .map((j) => j.id)
  for (const id of ids.slice(0, 2))
    store.markDone(store.claim(id)!, { sha256: 'ab'.repeat(32), size: 1, mtimeMs: 1 })
  store.finish(ids[2]!, { state: 'cancelled' })
  for (const id of ids.slice(3, 5)) store.finish(id, { state: 'failed', error: KMS_FAILURE })
  store.pause(ids[5]!)
  return ids
}
