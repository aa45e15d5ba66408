import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../main/core/errors'
import type { StoredJob } from '../../main/core/queue/job-store'
import type { JobSuccess } from '../../main/core/queue/run-job'
import type { StatusSummary } from '../../preload/contract/queue-models'
import { injectedJob, injectedQueue } from '../support/injected-queue'

/**
 * The status bar names the cause of failed uploads with how many there are ("6 uploads: The file no longer
 * exists."). A Transfers view narrowed to one account acts on that account's jobs only: the cause's count must
 * follow at once, while the other account's failures of the same cause are still there.
 */
const GONE = 'The file no longer exists.'
const KMS = 'KMS key "nokey-9" does not exist on this server.'

describe('the status cause counts after a narrowed action', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
  })

  /** A queue whose uploads to bucket `gone` lose their file, to bucket `kms` name an unknown key, else succeed. */
  async function failingQueue() {
    const statuses: StatusSummary[] = []
    const queue = await injectedQueue({
      concurrency: 4,
      events: { status: (status) => statuses.push(status) },
      transfer: async (job: StoredJob): Promise<JobSuccess> => {
        if (job.bucket === 'gone') throw new AppError('SOURCE_GONE', GONE)
        if (job.bucket === 'kms') throw new AppError('KMS_KEY_NOT_FOUND', KMS)
        return { sha256: 'x', size: job.size, mtimeMs: 1, skipped: false }
      },
    })
    stop = () => queue.stop()
    /** Jobs of an account (`acct` is the injected one; another id is a second account on the same server). */
    const add = (accountId: string, bucket: string, n: number, from: number) =>
      queue.add(Array.from({ length: n }, (_, i) => ({ ...injectedJob(from + i, { bucket }), accountId })))
    /** The next status event whose first cause is as asked (what the status bar shows). */
    const published = (jobs: number | undefined) =>
      new Promise<StatusSummary>((resolve, reject) => {
        const started = statuses.length
        const look = setInterval(() => {
          const next = statuses.slice(started).find((s) => s.causes[0]?.jobs === jobs)
          if (next) resolve(next)
          if (next) clearInterval(look)
        }, 10)
        setTimeout(() => {
          clearInterval(look)
          reject(new Error(`no status event with ${jobs} jobs for its first cause`))
        }, 2000)
      })
    return { queue, add, published, statuses }
  }
  const firstCause = (status: StatusSummary) => [status.causes[0]?.message, status.causes[0]?.jobs]

  it('"Clear failed" of one account: the cause counts the other account\'s jobs only, in the summary and its event', async () => {
    const { queue, add, published } = await failingQueue()
    const ids = [...(await add('acct', 'gone', 4, 0)), ...(await add('other', 'gone', 2, 100))]
    await queue.waitFor(ids)
    expect(firstCause(queue.status())).toEqual([GONE, 6])

    const event = published(2)
    await queue.clearFailed({ accountId: 'acct' })
    expect(firstCause(queue.status())).toEqual([GONE, 2])
    expect(queue.status().failed).toBe(2)
    expect(firstCause(await event)).toEqual([GONE, 2])
  })

  it('a group cleared in one account: the cause counts what the other account still holds', async () => {
    const { queue, add } = await failingQueue()
    // One upload fails, the rest of its batch is held with the same reason: 1 + 9 here, 1 + 2 there.
    const ids = [...(await add('acct', 'kms', 10, 0)), ...(await add('other', 'kms', 3, 100))]
    await queue.waitFor(ids)
    expect(firstCause(queue.status())).toEqual([KMS, 13])

    const [group] = queue.problemGroups(undefined, { accountId: 'acct' }).groups
    await queue.groupAction({ groupId: group!.id, action: 'clear', accountId: 'acct' })
    expect(firstCause(queue.status())).toEqual([KMS, 3])
  })

  it('failed uploads of one account retried and failing again are counted once, not twice', async () => {
    const { queue, add } = await failingQueue()
    const ids = [...(await add('acct', 'gone', 4, 0)), ...(await add('other', 'gone', 2, 100))]
    await queue.waitFor(ids)
    await queue.retry({ accountId: 'acct' })
    await queue.waitFor(ids)
    expect(firstCause(queue.status())).toEqual([GONE, 6])
  })

  it('a cause whose jobs are all cleared in one view is no longer named; the other cause stays', async () => {
    const { queue, add } = await failingQueue()
    const ids = [...(await add('acct', 'gone', 2, 0)), ...(await add('other', 'kms', 3, 100))]
    await queue.waitFor(ids)
    expect(queue.status().causes.map((c) => [c.message, c.jobs])).toEqual([
      [KMS, 3],
      [GONE, 2],
    ])
    await queue.clearFailed({ accountId: 'acct' })
    expect(queue.status().causes.map((c) => [c.message, c.jobs])).toEqual([[KMS, 3]])
  })
})
