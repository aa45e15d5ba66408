import { z } from 'zod'
import { onExistsPolicySchema, onExistsSchema } from './download-models'
import { ipcErrorSchema } from './errors'
import { encryptionChoiceSchema, resolvedEncryptionSchema } from './models'
import { keptWhySchema, skipWhySchema } from './skip-reasons'
import { statusCauseSchema } from './status-causes'
import { storageClassInputSchema } from './storage-class-models'
import { targetPrefixSchema } from './target-prefix'

export const JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const
export const jobStateSchema = z.enum(JOB_STATES)
export type JobState = z.infer<typeof jobStateSchema>

/** One upload in the durable queue, as the transfers view shows it. */
export const jobSchema = z.object({
  id: z.number().int(),
  accountId: z.string(),
  bucket: z.string(),
  key: z.string(),
  sourcePath: z.string(),
  size: z.number().nonnegative(),
  state: jobStateSchema,
  encryption: resolvedEncryptionSchema,
  /** The storage class asked for (S3 id); omitted = the bucket's default class. */
  storageClass: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  bytesDone: z.number().nonnegative(),
  /** Why the job failed (or why it is waiting to retry), in words. */
  error: ipcErrorSchema.optional(),
  /** When a retryable failure will be tried again. */
  retryAt: z.string().optional(),
  origin: z.enum(['manual', 'sync']),
  syncPairId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Job = z.infer<typeof jobSchema>

/** All paths of one enqueue request together; keeps the request inside one frame (wire.ts, MAX_FRAME_BYTES). */
export const MAX_ENQUEUE_PATH_CHARS = 2 * 1024 * 1024

/**
 * A path from the root of its disk (/home/me, C:\Users\me, \\server\share). A relative one would be read from
 * whichever folder OBS Sync was started in: a web client's "photos/a.jpg" was queued as /root/photos/a.jpg.
 */
export const isAbsolutePath = (path: string): boolean => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)

export const enqueueRequestSchema = z.object({
  accountId: z.string().min(1).max(200),
  bucket: z.string().min(1).max(255),
  /** Folder in the bucket the files go under ('' = bucket root). */
  prefix: targetPrefixSchema,
  /** Local files and folders; folders are walked recursively. */
  paths: z
    .array(
      z
        .string()
        .min(1)
        .max(4096)
        .refine(isAbsolutePath, 'Give each path in full, from the root of its disk (e.g. /home/me/Photos)'),
    )
    .min(1)
    .max(10_000)
    .refine((paths) => paths.reduce((sum, path) => sum + path.length, 0) <= MAX_ENQUEUE_PATH_CHARS, {
      message: 'Too many paths at once: drop their folder instead, or fewer files at a time.',
    }),
  /** The upload dialog's choice; omitted = the bucket's default encryption. */
  encryption: encryptionChoiceSchema.optional(),
  /** The dialog's or CLI's storage class (an id or the provider's name); omitted = the bucket's default class. */
  storageClass: storageClassInputSchema.optional(),
  /**
   * Uploads onto objects that already exist (#19): overwrite, skip, rename (keep both), compare, or ask (the
   * clashing files wait for one answer, `queue:answer-clashes`). Omitted = overwrite, as before; each shell sends
   * its own default (the CLI: compare; the UI: the remembered choice). Watched folders keep their own rules.
   */
  onExists: onExistsPolicySchema.optional(),
})
export type EnqueueRequest = z.infer<typeof enqueueRequestSchema>

export const enqueueResultSchema = z.object({
  jobIds: z.array(z.number().int()),
  /**
   * Entries that were not queued: `why` for a window to word (skipReasons.*, with the system's `errno` for an
   * unreadable one), `reason` in English for the CLI.
   */
  skipped: z.array(
    z.object({ path: z.string(), why: skipWhySchema, errno: z.string().optional(), reason: z.string() }),
  ),
  /**
   * Files not sent because the object already there was kept (rule skip, or compare found the same content):
   * `why` for a window (keptReasons.*), `reason` in English for the CLI.
   */
  kept: z
    .array(z.object({ path: z.string(), key: z.string(), why: keptWhySchema, reason: z.string() }))
    .optional(),
  /** Files whose object already exists, waiting for one answer (rule ask): `ids` go to `queue:answer-clashes`. */
  clashes: z
    .object({ ids: z.array(z.string()), count: z.number().int().positive(), examples: z.array(z.string()) })
    .optional(),
})
export type EnqueueResult = z.infer<typeof enqueueResultSchema>

/** The one answer for the files of an upload batch whose objects already exist. */
export const clashAnswerSchema = z.object({
  ids: z.array(z.string().min(1).max(100)).min(1).max(10_000),
  choice: onExistsSchema,
})
export type ClashAnswer = z.infer<typeof clashAnswerSchema>

/**
 * One account and/or one watched folder: what a narrowed Transfers view ("Only lab: ...") shows, counts and acts
 * on. Empty: the whole queue.
 */
export const jobScopeSchema = z.object({
  accountId: z.string().min(1).max(200).optional(),
  syncPairId: z.string().min(1).max(200).optional(),
})
export type JobScope = z.infer<typeof jobScopeSchema>

/**
 * One job, all jobs, a group of jobs (a grouped problem's retry and cancel), or every job of an account and/or
 * watched folder (the bulk buttons of a narrowed view: the queue picks the jobs, the view sends no ids).
 */
export const jobTargetSchema = z.union([
  z.number().int(),
  z.literal('all'),
  z.array(z.number().int()).min(1).max(100_000),
  jobScopeSchema.strict().refine((scope) => scope.accountId !== undefined || scope.syncPairId !== undefined, {
    message: "Name an account or a watched folder (or 'all')",
  }),
])
export type JobTarget = z.infer<typeof jobTargetSchema>

/** Throttled progress of running jobs (at most ~10 events/s per job). */
export const progressEventSchema = z.object({
  jobId: z.number().int(),
  bytesDone: z.number(),
  size: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().optional(),
})
export type ProgressEvent = z.infer<typeof progressEventSchema>

export const OVERALL_STATES = ['idle', 'syncing', 'paused', 'error', 'offline'] as const

/** What the tray and the status bar show at a glance. */
export const statusSummarySchema = z.object({
  state: z.enum(OVERALL_STATES),
  running: z.number().int(),
  queued: z.number().int(),
  paused: z.number().int(),
  failed: z.number().int(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().optional(),
  /** True when everything is paused by the user (pause all). */
  pausedByUser: z.boolean(),
  /** Set while retryable network errors keep jobs waiting. */
  offlineSince: z.string().optional(),
  /** While offline: when the next waiting job is retried (ISO time), and why the last attempt failed. */
  retryAt: z.string().optional(),
  offlineReason: z.string().optional(),
  lastSyncAt: z.string().optional(),
  /** Why work is stuck or needs the user, most urgent first (disk full, offline, an account, a folder, failures). */
  causes: z.array(statusCauseSchema),
  watchedFolders: z.array(
    z.object({
      id: z.string(),
      localPath: z.string(),
      paused: z.boolean(),
      /** Set while the folder cannot sync: missing, its sync state not saved (disk full), deletions held. */
      problem: ipcErrorSchema.optional(),
    }),
  ),
})
export type StatusSummary = z.infer<typeof statusSummarySchema>
