import { z } from 'zod'
import {
  bucketDefaultChoiceSchema,
  createBucketResultSchema,
  deletePlanSchema,
  deleteResultSchema,
} from './browser-models'
import { downloadAnswerSchema, downloadBatchSchema, downloadRequestSchema } from './download-models'
import { ipcErrorSchema } from './errors'
import { LOCALE_PREFERENCES } from './i18n/locales'
import { folderPickSchema, localFolderListingSchema } from './local-models'
import {
  accountAddSchema,
  accountInputSchema,
  accountSchema,
  appInfoSchema,
  bucketEncryptionSchema,
  bucketSchema,
  connectionTestSchema,
  kmsKeySchema,
  objectDetailsSchema,
  objectPageSchema,
  providerPresetSchema,
} from './models'
import {
  clashAnswerSchema,
  enqueueRequestSchema,
  enqueueResultSchema,
  jobSchema,
  jobTargetSchema,
  statusSummarySchema,
} from './queue-models'
import {
  countsFilterSchema,
  groupActionSchema,
  jobCountsSchema,
  keepDoneDaysSchema,
  problemGroupsRequestSchema,
  problemGroupsSchema,
  queuePageRequestSchema,
  queuePageSchema,
  uploadHistorySchema,
} from './queue-page'
import {
  bandwidthLimitSchema,
  bandwidthLimitStateSchema,
  requestLimitSchema,
  requestLimitStateSchema,
} from './queue-settings'
import { restoreRequestSchema, restoreResultSchema } from './storage-class-models'
import {
  activitySchema,
  remoteChangesSchema,
  syncPairInputSchema,
  syncPairSchema,
  syncPairStatusSchema,
  syncReportSchema,
  transientSyncSchema,
} from './sync-models'

/**
 * The one list of request channels: name -> schema of the arguments (validated in main, the renderer is
 * untrusted) -> schema of the result. Add a channel here and TypeScript asks for its handler in main.
 */
function channel<A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) {
  return { args, result }
}

const id = z.string().min(1).max(200)
const bucketName = z.string().min(1).max(255)
const objectKey = z.string().min(1).max(1024)
const localPath = z.string().min(1).max(4096)
const objectRef = z.object({
  accountId: id,
  bucket: bucketName,
  key: objectKey,
  /** Name of the SSE-C customer key (kept in the keychain) to read an SSE-C object with. */
  sseCustomerKeyName: z.string().max(200).optional(),
})
/** A folder to delete: a non-empty prefix ending in `/` (an empty one would be the whole bucket). */
const folderPrefix = z
  .string()
  .min(2)
  .max(1024)
  .refine((p) => p.endsWith('/') && !p.startsWith('/'), 'a folder is a prefix ending in "/"')
const deleteTargets = z.object({
  accountId: id,
  bucket: bucketName,
  keys: z.array(objectKey).max(100_000),
  prefixes: z.array(folderPrefix).max(10_000),
})

export const channels = {
  'app:info': channel(z.tuple([]), appInfoSchema),
  /** The language the user chose ('system': the OS's or browser's), kept by main for the menu, tray and notifications. */
  'settings:locale': channel(z.tuple([]), z.enum(LOCALE_PREFERENCES)),
  'settings:set-locale': channel(z.tuple([z.enum(LOCALE_PREFERENCES)]), z.null()),

  'accounts:list': channel(z.tuple([]), z.array(accountSchema)),
  'accounts:presets': channel(z.tuple([]), z.array(providerPresetSchema)),
  'accounts:add': channel(z.tuple([accountAddSchema]), accountSchema),
  'accounts:update': channel(z.tuple([id, accountInputSchema]), accountSchema),
  'accounts:remove': channel(z.tuple([id]), z.null()),
  'accounts:test': channel(z.tuple([id]), connectionTestSchema),

  'storage:buckets': channel(z.tuple([id]), z.array(bucketSchema)),
  'storage:list': channel(
    z.tuple([
      z.object({
        accountId: id,
        bucket: bucketName,
        prefix: z.string().max(1024),
        continuationToken: z.string().max(4096).optional(),
        pageSize: z.number().int().min(1).max(1000).optional(),
      }),
    ]),
    objectPageSchema,
  ),
  'storage:details': channel(z.tuple([objectRef]), objectDetailsSchema),
  'storage:bucket-encryption': channel(z.tuple([id, bucketName]), bucketEncryptionSchema),
  /** An existing file is kept and the new one saved as `name (n).ext`, unless `overwrite` (the user chose replace). */
  'storage:download': channel(
    z.tuple([objectRef.extend({ targetDir: localPath, overwrite: z.boolean().optional() })]),
    z.object({ path: z.string(), size: z.number(), verified: z.boolean() }),
  ),
  /** Restores an archived object for N days (S3 RestoreObject / OBS's restore API); answers the new state. */
  'storage:restore': channel(z.tuple([restoreRequestSchema]), restoreResultSchema),
  'storage:share': channel(
    z.tuple([
      objectRef.extend({
        expiresInSeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 24 * 3600),
      }),
    ]),
    z.object({ url: z.string(), expiresAt: z.string() }),
  ),

  // Bucket browser: delete, create folder/bucket, set or remove a bucket's default encryption.
  /** Counts what a delete would remove (each folder's objects) and whether the bucket keeps versions. */
  'storage:delete-plan': channel(z.tuple([deleteTargets]), deletePlanSchema),
  /** Deletes keys and whole folders in batches of 1,000; progress as `storage:delete-progress` events. */
  'storage:delete': channel(
    z.tuple([deleteTargets.extend({ operationId: z.string().min(1).max(100) })]),
    deleteResultSchema,
  ),
  'storage:create-folder': channel(
    z.tuple([
      z.object({
        accountId: id,
        bucket: bucketName,
        prefix: z.string().max(1024),
        name: z.string().trim().min(1).max(255),
      }),
    ]),
    z.object({ key: z.string() }),
  ),
  'storage:create-bucket': channel(
    z.tuple([
      z.object({ accountId: id, name: bucketName, encryption: bucketDefaultChoiceSchema.optional() }),
    ]),
    createBucketResultSchema,
  ),
  /** Sets the default and answers with what the server reports afterwards. */
  'storage:set-bucket-encryption': channel(
    z.tuple([id, bucketName, bucketDefaultChoiceSchema]),
    bucketEncryptionSchema,
  ),
  /** Refused (NOT_SUPPORTED) before anything is sent where the provider is not known to support it. */
  'storage:remove-bucket-encryption': channel(z.tuple([id, bucketName]), bucketEncryptionSchema),

  /** The key picker's data: keys (default first), and why listing failed if it did (manual entry still works). */
  'kms:keys': channel(
    z.tuple([id]),
    z.object({
      keys: z.array(kmsKeySchema),
      listingError: ipcErrorSchema.optional(),
      /** False for servers without a key-listing API: manual entry is the normal path there, not an error. */
      providerLists: z.boolean(),
      consoleUrl: z.string().optional(),
    }),
  ),
  'kms:add-manual': channel(z.tuple([id, z.string().trim().min(1).max(2048)]), accountSchema),
  'kms:remove-manual': channel(z.tuple([id, z.string().min(1).max(2048)]), accountSchema),

  /**
   * SSE-C customer keys: generated (or imported) and kept in the keychain; only their names cross IPC, except the
   * key itself when the user exports it for a backup (losing it loses every object encrypted with it).
   */
  'sse-c:list': channel(z.tuple([id]), z.array(z.string())),
  'sse-c:create': channel(z.tuple([id, z.string().trim().min(1).max(200)]), z.null()),
  'sse-c:delete': channel(z.tuple([id, z.string().min(1).max(200)]), z.null()),
  /** (account, name, key in base64): the key's length and encoding are checked in core. */
  'sse-c:import': channel(z.tuple([id, z.string().trim().min(1).max(200), z.string().max(200)]), z.null()),
  'sse-c:export': channel(z.tuple([id, z.string().min(1).max(200)]), z.string()),

  'queue:enqueue': channel(z.tuple([enqueueRequestSchema]), enqueueResultSchema),
  /** A page of the queue, filtered, newest first, with the counts per state (never the whole list). */
  'queue:page': channel(z.tuple([queuePageRequestSchema]), queuePageSchema),
  /** Jobs per state: of an account and/or watched folder when given, else of the whole queue. */
  'queue:counts': channel(z.tuple([countsFilterSchema.optional()]), jobCountsSchema),
  /** Failed, held and retrying jobs grouped by cause (one entry a cause), biggest group first. */
  'queue:problem-groups': channel(z.tuple([problemGroupsRequestSchema]), problemGroupsSchema),
  /** Retry, cancel or clear every job of one cause. */
  'queue:group-action': channel(z.tuple([groupActionSchema]), z.null()),
  /**
   * Finished uploads that left the queue, counted per day (of the account / watched folder when given, else all),
   * and how long done jobs stay in the queue.
   */
  'queue:history': channel(z.tuple([countsFilterSchema.optional()]), uploadHistorySchema),
  'queue:set-keep-done-days': channel(z.tuple([keepDoneDaysSchema]), uploadHistorySchema),
  /** Requests in flight at once over all uploads: now, saved, and whether `--concurrency` set this run's. */
  'queue:request-limit': channel(z.tuple([]), requestLimitStateSchema),
  /** Saves the request limit and applies it to the running queue (requests in flight finish). */
  'queue:set-request-limit': channel(z.tuple([requestLimitSchema]), requestLimitStateSchema),
  /** The upload rate limit over all uploads: now, saved, and whether `--bandwidth` set this run's. */
  'queue:bandwidth-limit': channel(z.tuple([]), bandwidthLimitStateSchema),
  /** Saves the rate limit in KiB/s (null: none) and applies it to the running uploads from their next piece. */
  'queue:set-bandwidth-limit': channel(z.tuple([bandwidthLimitSchema.nullable()]), bandwidthLimitStateSchema),
  'queue:pause': channel(z.tuple([jobTargetSchema]), z.null()),
  'queue:resume': channel(z.tuple([jobTargetSchema]), z.null()),
  'queue:cancel': channel(z.tuple([jobTargetSchema]), z.null()),
  'queue:retry': channel(z.tuple([jobTargetSchema]), z.null()),
  /** Done jobs go to the history, cancelled ones leave: of the account / watched folder when given, else all. */
  'queue:clear-finished': channel(z.tuple([countsFilterSchema.optional()]), z.null()),
  /** Removes the failed jobs (of the account / watched folder when given) from the queue; they are not retried. */
  'queue:clear-failed': channel(z.tuple([countsFilterSchema.optional()]), z.null()),
  'status:get': channel(z.tuple([]), statusSummarySchema),

  'sync:list': channel(
    z.tuple([]),
    z.array(z.object({ pair: syncPairSchema, status: syncPairStatusSchema })),
  ),
  'sync:add': channel(z.tuple([syncPairInputSchema]), syncPairSchema),
  'sync:update': channel(z.tuple([id, syncPairInputSchema]), syncPairSchema),
  'sync:pause': channel(z.tuple([id]), z.null()),
  'sync:resume': channel(z.tuple([id]), z.null()),
  'sync:remove': channel(z.tuple([id]), z.null()),
  /** Mirror mode: lets the held deletions of a folder go ahead (one pass beyond the safety cap). */
  'sync:confirm-deletions': channel(z.tuple([id]), z.null()),
  /** What changed or was deleted in the bucket, behind the folder's back, since our last uploads. */
  'sync:remote-changes': channel(z.tuple([id]), remoteChangesSchema),
  'activity:recent': channel(z.tuple([]), z.array(activitySchema)),

  // What the CLI needs, offered to every shell (#15).
  /** The account named (by name or id), or the only one when none is named. */
  'accounts:find': channel(z.tuple([z.object({ nameOrId: z.string().max(200).optional() })]), accountSchema),
  /**
   * Resolves when none of the jobs (and, with includePending, none of the jobs waiting when asked) is queued or
   * running any more, or when their account is held (waiting would not move them); answers how many of `jobIds`
   * are done and the others as they are (an upload of 100,000 files is answered with a count, not 100,000 jobs).
   */
  'queue:wait': channel(
    z.tuple([
      z.object({ jobIds: z.array(z.number().int()).max(1_000_000), includePending: z.boolean().optional() }),
    ]),
    z.object({ done: z.number().int().nonnegative(), unfinished: z.array(jobSchema) }),
  ),
  /** One pass over a folder not saved as a watched folder; answers when its uploads are done or held. */
  'sync:run-once': channel(z.tuple([transientSyncSchema]), syncReportSchema),
  /** Watches a folder not saved as a watched folder (after a catch-up pass) until the process ends. */
  'sync:watch': channel(z.tuple([transientSyncSchema]), syncPairSchema),
  /** What the last pass of a folder refused or could not do (mirror cap, unreadable entries). */
  'sync:problems': channel(z.tuple([id]), z.array(z.string())),

  /** Downloads of selections and folders (issue 19): a batch per request, progress as events. */
  'downloads:start': channel(z.tuple([downloadRequestSchema]), downloadBatchSchema),
  'downloads:list': channel(z.tuple([]), z.array(downloadBatchSchema)),
  'downloads:pause': channel(z.tuple([z.number().int()]), z.null()),
  'downloads:resume': channel(z.tuple([z.number().int()]), z.null()),
  'downloads:cancel': channel(z.tuple([z.number().int()]), z.null()),
  /** The one answer a waiting batch asks for: an SSE-C key, or what to do with existing files. */
  'downloads:answer': channel(z.tuple([z.number().int(), downloadAnswerSchema]), downloadBatchSchema),
  'downloads:clear-finished': channel(z.tuple([]), z.null()),
  /** The one answer for an upload batch's files whose objects already exist (enqueue with onExists `ask`). */
  'queue:answer-clashes': channel(z.tuple([clashAnswerSchema]), enqueueResultSchema),

  /** Local-folder picker (issue 19): sub-folders of a folder under the allowed root (default: the root). */
  'local:folders': channel(z.tuple([z.object({ path: localPath.optional() })]), localFolderListingSchema),
  /** The desktop app's native folder dialog; elsewhere the answer says to use the in-page picker. */
  'local:pick-folder': channel(
    z.tuple([z.object({ title: z.string().max(200).optional(), startPath: localPath.optional() })]),
    folderPickSchema,
  ),
} as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelArgs<C extends ChannelName> = z.input<Channels[C]['args']>
export type ChannelResult<C extends ChannelName> = z.output<Channels[C]['result']>

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name)
}
