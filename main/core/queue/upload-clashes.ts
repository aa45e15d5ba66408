import { randomUUID } from 'node:crypto'
import { posix } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type { ClashAnswer, EnqueueResult } from '../../../preload/contract/queue-models'
import {
  type StoredEncryption,
  storedFromObjectEncryption,
  storedMatchesChoice,
} from '../encryption/verify-encryption'
import { AppError, isAppError, toIpcError } from '../errors'
import { listObjectPage, type ObjectLister } from '../storage/browse'
import type { ErrorContext } from '../storage/classify-error'
import { digestFile } from '../storage/hashing'
import { objectDetails } from '../storage/object-details'
import type { ControlConnection } from '../storage/s3-client'
import type { NewJob, StoredJob } from './job-store'

/** What a HEAD tells of the object already at a job's key; empty for an SSE-C object (unreadable without its key). */
interface ExistingObject {
  size?: number
  lastModified?: string
  etag?: string
  sha256?: string
  /** Known from a HEAD only (a listing does not say). */
  encryption?: StoredEncryption
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
    return {
      size: details.size,
      lastModified: details.lastModified,
      etag: details.etag,
      sha256: details.sha256,
      encryption: storedFromObjectEncryption(details.encryption),
    }
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
 * It is kept only when it is also encrypted as this upload asks (another KMS key, or plaintext where SSE-KMS
 * is asked, is sent again): what the user chose must be what is stored, and an object's encryption can only
 * change by writing it again.
 */
async function sameContent(job: NewJob, remote: ExistingObject): Promise<boolean> {
  if (remote.size === undefined || remote.size !== job.size) return false
  if (!remote.encryption || !storedMatchesChoice(job.encryption.choice, remote.encryption)) return false
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

/** Looks at single keys (listings of one key, or HEADs) in flight at once. */
const LOOKUPS_AT_ONCE = 8
/** From this many files on, one listing of their folder is tried before a look per file. */
export const LISTING_FROM_FILES = 16
/**
 * How many listed keys a file may cost before a look per file is cheaper: a page of 1,000 keys is one request,
 * so 100 keys a file is one page per 10 files (a look each would be 10 requests).
 */
const LISTED_KEYS_PER_FILE = 100

/** The folder all keys share (up to its last `/`): its listing also holds every `name (n).ext` sibling. */
export function commonFolder(keys: string[]): string {
  let prefix = keys[0] ?? ''
  for (const key of keys) {
    let n = 0
    while (n < prefix.length && n < key.length && prefix[n] === key[n]) n++
    prefix = prefix.slice(0, n)
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1)
}

/** What a listing tells of an object: size, time and ETag (not our SHA-256 nor the encryption: a HEAD tells those). */
const listedObject = (o: { size: number; lastModified?: string; etag?: string }): ExistingObject => ({
  size: o.size,
  lastModified: o.lastModified,
  etag: o.etag,
})

/**
 * Every object under `prefix` (size and time, no metadata); undefined when the folder holds more than `maxKeys`
 * objects (a look per file is cheaper then), null when the account may not list the bucket (HEAD may still be
 * allowed: S3 grants GetObject and ListBucket apart).
 */
async function listedFolder(
  connection: ControlConnection,
  bucket: string,
  prefix: string,
  maxKeys: number,
  context: ErrorContext,
): Promise<Map<string, ExistingObject> | undefined | null> {
  const found = new Map<string, ExistingObject>()
  let token: string | undefined
  try {
    do {
      const page = await listObjectPage(connection, bucket, { prefix, continuationToken: token }, context)
      for (const o of page.objects) found.set(o.key, listedObject(o))
      token = page.nextToken
      if (token && found.size >= maxKeys) return undefined
    } while (token)
  } catch (error) {
    if (isAppError(error) && error.code === 'ACCESS_DENIED') return null
    throw error
  }
  return found
}

/**
 * What is at one key, looked up without the SDK's S3 client where the account may list the bucket: a listing
 * with the key as prefix and one entry (the key itself sorts first among the keys it begins) tells its size, time
 * and ETag as a HEAD would, without our SHA-256 and the encryption. A HEAD needs the SDK, ~170 ms of CPU to load,
 * which an upload of a few files waited for. Where listing is refused (known from the folder's listing, or
 * learnt here), a HEAD per key.
 */
function oneKeyLookup(
  connection: ControlConnection,
  bucket: string,
  context: ErrorContext,
  head: (key: string) => Promise<ExistingObject | undefined>,
  listingRefused: boolean,
): (key: string) => Promise<ExistingObject | undefined> {
  let mayList = !listingRefused
  return async (key) => {
    if (!mayList) return head(key)
    try {
      const page = await listObjectPage(connection, bucket, { prefix: key, pageSize: 1 }, context)
      const found = page.objects[0]
      return found?.key === key ? listedObject(found) : undefined
    } catch (error) {
      if (!isAppError(error) || error.code !== 'ACCESS_DENIED') throw error
      mayList = false
      return head(key)
    }
  }
}

/** Where the objects at the jobs' keys (and their would-be siblings) are looked up. */
interface RemoteLookup {
  /** What is at each job's key (undefined: nothing). */
  remotes: (ExistingObject | undefined)[]
  exists: (key: string) => Promise<boolean>
}

/**
 * Looks up what is at each job's key with as few requests as the rule needs: many files going to one folder are
 * answered by one listing of it (one request per 1,000 objects) rather than a look each (#19's check doubled the
 * CPU of a 2,000-file upload); a few files, or a folder much larger than the upload, by a look per key
 * (oneKeyLookup). A HEAD is still sent where only it can tell: our SHA-256 in the metadata and the encryption, for
 * `compare` when the sizes are equal.
 */
async function lookUpRemotes(
  connection: ControlConnection,
  bucket: string,
  jobs: NewJob[],
  rule: OnExistsPolicy,
  context: ErrorContext,
): Promise<RemoteLookup> {
  const head = (key: string) => existingObject(connection.s3, bucket, key, context)
  const listed =
    jobs.length >= LISTING_FROM_FILES
      ? await listedFolder(
          connection,
          bucket,
          commonFolder(jobs.map((j) => j.key)),
          jobs.length * LISTED_KEYS_PER_FILE,
          context,
        )
      : undefined
  const lookUp = listed
    ? async (key: string) => listed.get(key)
    : oneKeyLookup(connection, bucket, context, head, listed === null)
  const remotes = await mapLimited(jobs, LOOKUPS_AT_ONCE, async (job) => {
    const remote = await lookUp(job.key)
    // What a listing says lacks our SHA-256 and the encryption: compare needs a HEAD when the sizes match.
    const fromListing = remote !== undefined && remote.encryption === undefined
    return fromListing && rule === 'compare' && remote.size === job.size ? head(job.key) : remote
  })
  return { remotes, exists: async (key) => (await lookUp(key)) !== undefined }
}

/**
 * Applies the rule for uploads onto objects that already exist (lookUpRemotes: one listing of the folder, or a
 * look per file, 8 at a time): overwrite sends everything (no request), skip keeps every existing object, rename
 * ("keep both") sends the file under the first free `name (n).ext` key, compare keeps an object with the same
 * content and replaces the others, ask holds the clashing files for the user's one answer. Watched folders never
 * come here (they keep their rules).
 */
export async function decideUploadClashes(
  connection: ControlConnection,
  bucket: string,
  jobs: NewJob[],
  rule: OnExistsPolicy,
  context: ErrorContext = {},
): Promise<ClashDecision> {
  const decision: ClashDecision = { queue: [], kept: [], asking: [] }
  if (rule === 'overwrite') return { ...decision, queue: jobs }
  let lookup: RemoteLookup
  try {
    lookup = await lookUpRemotes(connection, bucket, jobs, rule, context)
  } catch (error) {
    // Compare may send a file again: the object becomes what the file is, nothing is lost, and the queue deals
    // with the server's trouble as with any upload (retry, hold with the reason). Skip, keep both and ask must
    // not replace an object they could not see, so nothing is queued and the reason is said.
    if (rule === 'compare') return { ...decision, queue: jobs }
    // What may be shown of the reason (an unexpected error is INTERNAL, without its details).
    const reason = toIpcError(error)
    throw new AppError(
      reason.code,
      `Could not check which objects already exist in "${bucket}", so nothing was queued: ${reason.message}`,
      { cause: error, params: { cause: 'clashCheckFailed', bucket } },
    )
  }
  const taken = new Set(jobs.map((j) => j.key))
  for (const [i, job] of jobs.entries()) {
    const remote = lookup.remotes[i]
    if (!remote) decision.queue.push(job)
    else if (rule === 'ask') decision.asking.push(job)
    else if (rule === 'skip')
      decision.kept.push({
        path: job.sourcePath,
        key: job.key,
        why: 'exists',
        reason: 'an object of that name is already there',
      })
    else if (rule === 'compare' && (await sameContent(job, remote)))
      decision.kept.push({
        path: job.sourcePath,
        key: job.key,
        why: 'sameContent',
        reason: 'the same content is already there',
      })
    else if (rule === 'rename') {
      let n = 1
      while (taken.has(siblingKey(job.key, n)) || (await lookup.exists(siblingKey(job.key, n)))) n++
      taken.add(siblingKey(job.key, n))
      decision.queue.push({ ...job, key: siblingKey(job.key, n) })
    } else decision.queue.push(job)
  }
  return decision
}

/** ETags as servers quote them or not. */
const bareEtag = (etag: string) => etag.replace(/^(W\/)?"|"$/g, '')

/**
 * Whether the objects of earlier finished uploads are still in the bucket as those uploads left them: same size,
 * and the same ETag where both are known. A finished job stands for an unchanged file only while its object does:
 * deleted since, or replaced by another write (another tool, another key), the file is sent again instead of being
 * reported uploaded. One listing of the folder, or a look per file for a few files. When the server cannot be
 * asked, the record stands (the upload finished and was confirmed then).
 */
export async function stillStored(
  connection: ControlConnection,
  bucket: string,
  done: StoredJob[],
  context: ErrorContext = {},
): Promise<boolean[]> {
  if (done.length === 0) return []
  try {
    const { remotes } = await lookUpRemotes(connection, bucket, done, 'skip', context)
    return remotes.map((remote, i) => {
      const job = done[i] as StoredJob
      if (remote === undefined) return false
      // An SSE-C object answers a HEAD without its size or ETag (its key is needed): it is there.
      if ((remote.size ?? job.size) !== job.size) return false
      return !remote.etag || !job.etag || bareEtag(remote.etag) === bareEtag(job.etag)
    })
  } catch {
    return done.map(() => true)
  }
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
  client: (accountId: string) => Promise<{ account: { endpoint: string } } & ControlConnection>,
) {
  const held = new Map<string, HeldClash>()
  const keptListeners = new Set<(paths: string[]) => void>()

  /** The account's connection; its listings through `lister` when given (a listing asked for ahead). */
  async function connectionOf(accountId: string, lister?: ObjectLister) {
    const { account, ...connection } = await client(accountId)
    return { account, connection: lister ? { ...connection, listObjects: lister.listObjects } : connection }
  }

  async function decide(
    accountId: string,
    bucket: string,
    jobs: NewJob[],
    rule: OnExistsPolicy = 'overwrite',
    lister?: ObjectLister,
  ): Promise<ClashDecision> {
    if (rule === 'overwrite' || jobs.length === 0) return { queue: jobs, kept: [], asking: [] }
    const { account, connection } = await connectionOf(accountId, lister)
    const decided = await decideUploadClashes(connection, bucket, jobs, rule, { endpoint: account.endpoint })
    if (decided.kept.length) for (const listener of keptListeners) listener(decided.kept.map((k) => k.path))
    return decided
  }

  function take(ids: string[]): HeldClash[] {
    // An id named twice is one question answered once: taken twice, its files were queued twice.
    const found = [...new Set(ids)].map((id) => held.get(id))
    if (found.some((entry) => entry === undefined)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        'This question was already answered (or OBS Sync restarted since): upload the files again.',
        { params: { cause: 'questionAnswered' } },
      )
    }
    for (const id of ids) held.delete(id)
    return found as HeldClash[]
  }

  return {
    decide,
    async stillStored(
      accountId: string,
      bucket: string,
      done: StoredJob[],
      lister?: ObjectLister,
    ): Promise<boolean[]> {
      if (done.length === 0) return []
      const { account, connection } = await connectionOf(accountId, lister)
      return stillStored(connection, bucket, done, { endpoint: account.endpoint })
    },
    hold(accountId: string, bucket: string, jobs: NewJob[]): NonNullable<EnqueueResult['clashes']> {
      const id = randomUUID()
      held.set(id, { accountId, bucket, jobs })
      return { ids: [id], count: jobs.length, examples: jobs.slice(0, 5).map((j) => j.key) }
    },
    /** Applies the answer to every held entry it names; `add` queues the jobs to send. */
    async answer(answer: ClashAnswer, add: (jobs: NewJob[]) => Promise<number[]>): Promise<EnqueueResult> {
      const result = { jobIds: [] as number[], skipped: [], kept: [] as KeptFile[] }
      for (const entry of take(answer.ids)) {
        const decided = await decide(entry.accountId, entry.bucket, entry.jobs, answer.choice)
        result.jobIds.push(...(await add(decided.queue)))
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
