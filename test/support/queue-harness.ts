import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import { createUploadQueue, type UploadQueueOptions } from '../../main/core/queue/upload-queue'
import { createS3Client, type S3Connection } from '../../main/core/storage/s3-client'
import type { Account, AccountInput } from '../../preload/contract/models'
import type { Job, StatusSummary } from '../../preload/contract/queue-models'
import type { RgwEnv } from './services'

export interface QueueHarness {
  queue: ReturnType<typeof createUploadQueue>
  /** The queue's job store, to read one job's saved state. */
  store: JobStore
  /** The (command-counting) client the queue uses, for other services of the same test. */
  client: () => Promise<{ account: Account } & S3Connection>
  dbPath: string
  /** Every S3 command the queue sent, by name (e.g. UploadPartCommand). */
  sent: string[]
  /** The same, as `CommandName key`. */
  sentWithKey: string[]
  jobEvents: Job[]
  statuses: StatusSummary[]
  account: Account
}

export function harnessAccount(rgw: RgwEnv, overrides: Partial<Account> = {}): Account {
  return {
    id: 'acct-1',
    name: 'rgw',
    provider: 'ceph-rgw',
    endpoint: rgw.httpsEndpoint,
    region: rgw.region,
    addressing: 'path',
    caFile: rgw.caFile,
    accessKeyId: rgw.accessKeyId,
    ...overrides,
  }
}

/** The harness account as `accounts:add` takes it: its settings (no id) and the RGW user's secret. */
export function harnessAccountInput(rgw: RgwEnv, overrides: Partial<AccountInput> = {}): AccountInput {
  const { id: _id, ...settings } = harnessAccount(rgw)
  return { ...settings, secretAccessKey: rgw.secretAccessKey, ...overrides }
}

/** A real queue on a real SQLite file, talking to the harness RGW through a client that counts its commands. */
export async function createQueueHarness(
  rgw: RgwEnv,
  options: Partial<UploadQueueOptions> & {
    dbPath?: string
    account?: Account
    secret?: string
  } = {},
): Promise<QueueHarness> {
  const { dbPath: _db, account: _a, secret: _s, ...queueOptions } = options
  const dbPath = options.dbPath ?? join(await mkdtemp(join(tmpdir(), 'obs-sync-queue-')), 'queue.db')
  const sent: string[] = []
  const sentWithKey: string[] = []
  const jobEvents: Job[] = []
  const statuses: StatusSummary[] = []
  const account = options.account ?? harnessAccount(rgw)
  let client: Promise<S3Connection> | undefined
  const clientFor = async () => {
    client ??= createS3Client(account, {
      accessKeyId: account.accessKeyId,
      secretAccessKey: options.secret ?? rgw.secretAccessKey,
    }).then((connection) => {
      const s3 = connection.s3
      const count = (command: string, key: string) => {
        sent.push(command)
        sentWithKey.push(`${command} ${key}`)
      }
      s3.middlewareStack.add(
        (next, context) => (args) => {
          count(String(context.commandName), String((args.input as { Key?: string }).Key ?? ''))
          return next(args)
        },
        { step: 'initialize', name: 'countCommands' },
      )
      // Small files are PUT and folders listed without the SDK (signed-request.ts, on Node's own client): counted
      // where every single PUT and every listing page passes, the connection's PUT and list functions.
      const putObject = connection.putObject
      connection.putObject = (input) => {
        count('PutObjectCommand', input.key)
        return putObject(input)
      }
      const listObjects = connection.listObjects
      connection.listObjects = (input) => {
        count('ListObjectsV2Command', input.prefix ?? '')
        return listObjects(input)
      }
      return connection
    })
    return { account, ...(await client) }
  }
  // The queue's job store, for tests that read one job's saved state (the queue itself answers lists and waits).
  // As the app does (services.ts): a group commit that failed (disk full) puts its jobs back.
  const store =
    queueOptions.store ??
    createJobStore(openQueueDatabase(dbPath), { onCommitError: (error) => queue.writeFailed(error) })
  const queue = createUploadQueue({
    store,
    client: clientFor,
    customerKey: async () => {
      throw new Error('no SSE-C in this harness')
    },
    bucketDefault: async () => undefined,
    events: {
      job: (job) => jobEvents.push(job),
      status: (status) => statuses.push(status),
    },
    ...queueOptions,
  })
  return { queue, store, client: clientFor, dbPath, sent, sentWithKey, jobEvents, statuses, account }
}

/** Queues one local file to the bucket's root with SSE-KMS under `keyId` through the harness queue; its job id. */
export async function enqueueOneFile(
  h: QueueHarness,
  bucket: string,
  path: string,
  keyId: string,
): Promise<number> {
  const { jobIds } = await h.queue.enqueue({
    accountId: 'acct-1',
    bucket,
    prefix: '',
    paths: [path],
    encryption: { mode: 'sse-kms', keyId },
  })
  return jobIds[0]!
}

export async function until(predicate: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
