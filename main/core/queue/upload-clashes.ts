import { randomUUID } from 'node:crypto'
import { posix } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type { ClashAnswer, EnqueueResult } from '../../../preload/contract/queue-models'
import { AppError, isAppError } from '../errors'
import type { ErrorContext } from '../storage/classify-error'
import { digestFile } from '../storage/hashing'
import { objectDetails } from '../storage/object-details'
import type { NewJob } from './job-store'

/** What a HEAD tells of the object already at a job's key; empty for an SSE-C object (unreadable without its key). */
interface ExistingObject {
  size?: number
  lastModified?: string
  sha256?: string
}

export type KeptFile = NonNullable<EnqueueResult['kept']>[number]

export interface ClashDecision {
  /** Jobs to queue (a "keep both" job under its new key). */
  queue: NewJob[]
  /** Files not sent: the object in the bucket was kept. */
  kept: KeptFile[]
  /** Jobs whose key exists, waiting for the user's one answer (rule `ask`). */
  asking: NewJob[]
}

async function existingObject(
  s3: S3Client,
  bucket: string,
  key: string,
  context: ErrorContext,
): Promise<ExistingObject | undefined> {
  try {
    const details = await objectDetails(s3, bucket, key, {}, context)
    return { size: details.size, lastModified: details.lastModified, sha256: details.sha256 }
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') return undefined
    if (isAppError(error) && error.code === 'SSE_C_KEY_REQUIRED') return {}
    throw error
  }
}

/**
 * "Compare": the object holds the file's content when it carries our SHA-256 and that matches the file's;
 * without it (an object another tool wrote) when the sizes are equal and the object was written after the
 * file last changed (an upload's time is its write time, so an unchanged file uploaded before matches).
 */
async function sameContent(job: NewJob, remote: ExistingObject): Promise<boolean> {
  if (remote.size === undefined || remote.size !== job.size) return false
  if (remote.sha256) return (await digestFile(job.sourcePath)).sha256Hex === remote.sha256
  if (!remote.lastModified) return false
  return Date.parse(remote.lastModified) >= Math.floor(job.mtimeMs / 1000) * 1000
}

/** `dir/name (n).ext`: the key a "keep both" upload gets, as a download's unique file name. */
function siblingKey(key: string, n: number): string {
  const dir = posix.dirname(key)
  const ext = posix.extname(key)
  const name = `${posix.basename(key, ext)} (${n})${ext}`
  return dir === '.' ? name : `${dir}/${name}`
}

/** `fn` over `items`, `limit` at a time; the first failure stops the rest from starting and is thrown. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failed = false
  async function worker(): Promise<void> {
    while (next < items.length && !failed) {
      const i = next++
      try {
        results[i] = await fn(items[i] as T)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Applies the rule for uploads onto objects that already exist (one HEAD per file, 8 at a time): overwrite
 * sends everything (no request), skip keeps every existing object, rename ("keep both") sends the file under the
 * first free `name (n).ext` key, compare keeps an object with the same content and replaces the others, ask
 * holds the clashing files for the user's one answer. Watched folders never come here (they keep their rules).
 */
export async function decideUploadClashes(
  s3: S3Client,
  bucket: string,
  jobs: NewJob[],
  rule: OnExistsPolicy,
  context: ErrorContext = {},
): Promise<ClashDecision> {
  const decision: ClashDecision = { queue: [], kept: [], asking: [] }
  if (rule === 'overwrite') return { ...decision, queue: jobs }
  let remotes: (ExistingObject | undefined)[]
  try {
    remotes = await mapLimited(jobs, 8, (job) => existingObject(s3, bucket, job.key, context))
  } catch (error) {
    // Compare may send a file again: the object becomes what the file is, nothing is lost, and the queue deals
    // with the server's trouble as with any upload (retry, hold with the reason). Skip, keep both and ask must
    // not replace an object they could not see, so nothing is queued and the reason is said.
    if (rule === 'compare') return { ...decision, queue: jobs }
    const reason = isAppError(error) ? error : new AppError('INTERNAL', String(error))
    throw new AppError(
      reason.code,
      `Could not check which objects already exist in "${bucket}", so nothing was queued: ${reason.message}`,
      { cause: error },
    )
  }
  const taken = new Set(jobs.map((j) => j.key))
  for (const [i, job] of jobs.entries()) {
    const remote = remotes[i]
    if (!remote) decision.queue.push(job)
    else if (rule === 'ask') decision.asking.push(job)
    else if (rule === 'skip')
      decision.kept.push({
        path: job.sourcePath,
        key: job.key,
        reason: 'an object of that name is already there',
      })
    else if (rule === 'compare' && (await sameContent(job, remote)))
      decision.kept.push({ path: job.sourcePath, key: job.key, reason: 'the same content is already there' })
    else if (rule === 'rename') {
      let n = 1
      while (
        taken.has(siblingKey(job.key, n)) ||
        (await existingObject(s3, bucket, siblingKey(job.key, n), context))
      )
        n++
      taken.add(siblingKey(job.key, n))
      decision.queue.push({ ...job, key: siblingKey(job.key, n) })
    } else decision.queue.push(job)
  }
  return decision
}

interface HeldClash {
  accountId: string
  bucket: string
  jobs: NewJob[]
}

/**
 * The upload queue's rule for objects that already exist: decides each enqueue's files, and holds those that
 * wait for the user's answer, one entry per enqueue (the UI answers all entries of its batch at once). Held in
 * memory: after a restart the question is simply asked again by uploading again.
 */
export function createUploadClashes(
  client: (accountId: string) => Promise<{ account: { endpoint: string }; s3: S3Client }>,
) {
  const held = new Map<string, HeldClash>()
  const keptListeners = new Set<(paths: string[]) => void>()

  async function decide(
    accountId: string,
    bucket: string,
    jobs: NewJob[],
    rule: OnExistsPolicy = 'overwrite',
  ): Promise<ClashDecision> {
    if (rule === 'overwrite' || jobs.length === 0) return { queue: jobs, kept: [], asking: [] }
    const { account, s3 } = await client(accountId)
    const decided = await decideUploadClashes(s3, bucket, jobs, rule, { endpoint: account.endpoint })
    if (decided.kept.length) for (const listener of keptListeners) listener(decided.kept.map((k) => k.path))
    return decided
  }

  function take(ids: string[]): HeldClash[] {
    const found = ids.map((id) => held.get(id))
    if (found.some((entry) => entry === undefined)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        'This question was already answered (or OBS Sync restarted since): upload the files again.',
      )
    }
    for (const id of ids) held.delete(id)
    return found as HeldClash[]
  }

  return {
    decide,
    hold(accountId: string, bucket: string, jobs: NewJob[]): NonNullable<EnqueueResult['clashes']> {
      const id = randomUUID()
      held.set(id, { accountId, bucket, jobs })
      return { ids: [id], count: jobs.length, examples: jobs.slice(0, 5).map((j) => j.key) }
    },
    /** Applies the answer to every held entry it names; `add` queues the jobs to send. */
    async answer(answer: ClashAnswer, add: (jobs: NewJob[]) => number[]): Promise<EnqueueResult> {
      const result = { jobIds: [] as number[], skipped: [], kept: [] as KeptFile[] }
      for (const entry of take(answer.ids)) {
        const decided = await decide(entry.accountId, entry.bucket, entry.jobs, answer.choice)
        result.jobIds.push(...add(decided.queue))
        result.kept.push(...decided.kept)
      }
      return result
    },
    onKept(listener: (paths: string[]) => void): () => void {
      keptListeners.add(listener)
      return () => keptListeners.delete(listener)
    },
  }
}
