import type { Account, EncryptionChoice, ResolvedEncryption } from '../../../preload/contract/models'
import type { ClashAnswer, EnqueueRequest, EnqueueResult } from '../../../preload/contract/queue-models'
import { assertKmsKeyChosen } from '../encryption/kms-key-required'
import { loadContentTypes } from '../storage/content-type'
import { withListingAhead } from '../storage/listing-ahead'
import type { S3Connection } from '../storage/s3-client'
import { resolveStorageClass } from '../storage/storage-classes'
import {
  type BucketDefault,
  encryptionFor,
  folderOfRequest,
  jobsForRequest,
  type KmsKeys,
} from './enqueue-files'
import type { JobStore, NewJob, StoredJob } from './job-store'
import { sameUpload } from './same-upload'
import { createUploadClashes } from './upload-clashes'

export interface EnqueueDeps {
  store: JobStore
  client: (accountId: string) => Promise<{ account: Account } & S3Connection>
  bucketDefault: BucketDefault
  kmsKeys?: KmsKeys
  /** A job was added: tell the UI and the waits. */
  announce: (id: number, current: StoredJob) => void
  /** New jobs may run. */
  schedule: () => void
  /** Cancels these jobs (stopping a running one) and clears them from the queue: a newer upload replaced them. */
  supersede: (ids: number[]) => Promise<void>
}

/**
 * How uploads enter the queue: the encryption and storage class decided (and refused before anything is queued
 * when they cannot work), the files walked into jobs, files already uploaded unchanged left out, and objects that
 * already exist handled by the upload's rule (upload-clashes.ts).
 */
export function createEnqueuer(deps: EnqueueDeps) {
  const { store } = deps
  const clashes = createUploadClashes(deps.client)

  /** explicit choice > (folder rule, given as explicit by sync) > bucket default > none; HTTPS enforced. */
  function resolveFor(
    accountId: string,
    bucket: string,
    endpoint: string,
    explicit: EncryptionChoice | undefined,
    folderRule?: EncryptionChoice,
  ): Promise<ResolvedEncryption> {
    return encryptionFor(deps, { accountId, bucket, endpoint }, explicit, folderRule)
  }

  /**
   * Adds prepared jobs. A target already waiting in the queue for the same upload (same file, encryption and
   * class) is not added twice. An earlier job of the target that asked for something else, or that failed, is
   * replaced: the user's latest choice is what gets stored, and a failure the new upload makes moot no longer
   * counts as a problem.
   */
  async function add(jobs: NewJob[]): Promise<number[]> {
    const reused = new Map<number, number>()
    const replaced: number[] = []
    // One read transaction for all lookups: a watched folder's first pass adds tens of thousands at once.
    store.transaction(() => {
      for (const [i, job] of jobs.entries()) {
        for (const open of store.openFor(job.accountId, job.bucket, job.key)) {
          if (open.state !== 'failed' && sameUpload(open, job)) reused.set(i, open.id)
          else replaced.push(open.id)
        }
      }
    })
    if (replaced.length > 0) await deps.supersede(replaced)
    const added = store.transaction(() => store.insertMany(jobs.filter((_, i) => !reused.has(i))))
    for (const job of added) deps.announce(job.id, job)
    deps.schedule()
    return [...reused.values(), ...added.map((j) => j.id)]
  }

  return {
    resolveFor,
    add,

    /** Adds files and folders (walked recursively) with the dialog's encryption choice or the bucket default. */
    async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
      // Loaded while the lines below wait on the keychain and the server, not in front of the first upload.
      setImmediate(loadContentTypes)
      const { account, ...connection } = await deps.client(request.accountId)
      assertKmsKeyChosen(request.encryption, account)
      // The folder's listing, which the rule for existing objects needs, is sent now and answered while the
      // folder is walked rather than after.
      const folder =
        request.onExists && request.onExists !== 'overwrite' ? folderOfRequest(request) : undefined
      const lister = folder ? withListingAhead(connection, request.bucket, { prefix: folder }) : undefined
      const encryption = await resolveFor(
        request.accountId,
        request.bucket,
        account.endpoint,
        request.encryption,
      )
      // Refused before anything is queued when the provider has no such class.
      const storageClass = request.storageClass
        ? resolveStorageClass(account.provider, request.storageClass)
        : undefined
      const { jobs, skipped } = await jobsForRequest(request, encryption, storageClass)
      // Dropping the same files again (or re-running a killed `obs-sync upload`) does not send again what is
      // already uploaded unchanged: the finished job of that exact file version, with the same encryption and
      // class, stands for it while its object is still in the bucket.
      const recorded = jobs.map((j) => store.doneUnchanged(j))
      const candidates = jobs.flatMap((_, i) => (recorded[i] === undefined ? [] : [i]))
      const present = await clashes.stillStored(
        request.accountId,
        request.bucket,
        candidates.map((i) => recorded[i] as StoredJob),
        lister,
      )
      const already = new Map(
        candidates.filter((_, n) => present[n]).map((i) => [i, (recorded[i] as StoredJob).id]),
      )
      const fresh = jobs.filter((_, i) => !already.has(i))
      const decided = await clashes.decide(request.accountId, request.bucket, fresh, request.onExists, lister)
      return {
        jobIds: [...already.values(), ...(await add(decided.queue))],
        skipped,
        ...(decided.kept.length ? { kept: decided.kept } : {}),
        ...(decided.asking.length
          ? { clashes: clashes.hold(request.accountId, request.bucket, decided.asking) }
          : {}),
      }
    },

    /** The user's one answer for the held files of a batch whose objects already exist. */
    answerClashes(answer: ClashAnswer): Promise<EnqueueResult> {
      return clashes.answer(answer, add)
    },

    /** Listens for files not sent because the object already there was kept (dropped files are removed then). */
    onKept: clashes.onKept,
  }
}
