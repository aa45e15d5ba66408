import { z } from 'zod'
import { ipcErrorSchema } from './errors'

/**
 * What to do when a download would land on an existing file (or an upload on an existing object):
 * overwrite it, skip it, keep both (the new one gets a unique name), or compare (skip when our SHA-256 metadata,
 * else size and modification time, show the same content; overwrite otherwise). `ask` holds the clashing
 * items of a batch until the user answers once for all of them.
 */
export const ON_EXISTS = ['overwrite', 'skip', 'rename', 'compare'] as const
export const onExistsSchema = z.enum(ON_EXISTS)
export type OnExists = z.infer<typeof onExistsSchema>
export const onExistsPolicySchema = z.union([onExistsSchema, z.literal('ask')])
export type OnExistsPolicy = z.infer<typeof onExistsPolicySchema>

export const downloadRequestSchema = z.object({
  accountId: z.string().min(1).max(200),
  bucket: z.string().min(1).max(255),
  /** Object keys and folders (prefixes ending in `/`, '' = the whole bucket), each with everything under it. */
  keys: z.array(z.string().max(1024)).min(1).max(10_000),
  /** Folder on the machine that runs OBS Sync; must be an absolute path. */
  targetDir: z.string().min(1).max(4096),
  /** SSE-C customer keys (names in the keychain) to read SSE-C objects with; more can be given when asked. */
  sseCustomerKeyNames: z.array(z.string().min(1).max(200)).max(50).optional(),
  /** Default `ask`. */
  onExists: onExistsPolicySchema.optional(),
})
export type DownloadRequest = z.infer<typeof downloadRequestSchema>

export const downloadBatchStateSchema = z.enum([
  'listing',
  'running',
  'paused',
  /** Some items wait for an answer: which SSE-C key, or what to do with existing files. */
  'waiting',
  'done',
  'failed',
  'cancelled',
])
export type DownloadBatchState = z.infer<typeof downloadBatchStateSchema>

export const downloadItemOutcomeSchema = z.object({
  key: z.string(),
  /** Where the file was written (absent when skipped or failed). */
  path: z.string().optional(),
  outcome: z.enum(['downloaded', 'skipped', 'failed', 'cancelled']),
  error: ipcErrorSchema.optional(),
})
export type DownloadItemOutcome = z.infer<typeof downloadItemOutcomeSchema>

/** One download batch (a selection or folder), as the downloads view and `obs-sync get` show it. */
export const downloadBatchSchema = z.object({
  id: z.number().int(),
  accountId: z.string(),
  bucket: z.string(),
  targetDir: z.string(),
  /** What was selected, for the title ("photos/", "a.jpg and 3 more"). */
  keys: z.array(z.string()),
  state: downloadBatchStateSchema,
  files: z.number().int().nonnegative(),
  filesDone: z.number().int().nonnegative(),
  filesSkipped: z.number().int().nonnegative(),
  filesFailed: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  bytesDone: z.number().nonnegative(),
  /** Objects that need an SSE-C key the batch does not have yet: the user is asked once, for all of them. */
  needsCustomerKey: z.number().int().nonnegative(),
  /** Objects whose target file exists, waiting for the one answer of this batch; the first few names. */
  clashes: z.number().int().nonnegative(),
  clashExamples: z.array(z.string()),
  /** The first failures, with their reasons (at most 20). */
  failures: z.array(downloadItemOutcomeSchema),
  error: ipcErrorSchema.optional(),
  createdAt: z.string(),
})
export type DownloadBatch = z.infer<typeof downloadBatchSchema>

/** Throttled progress of running batches (at most ~10 events/s per batch). */
export const downloadProgressSchema = z.object({
  batchId: z.number().int(),
  bytesDone: z.number(),
  bytes: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().optional(),
})
export type DownloadProgress = z.infer<typeof downloadProgressSchema>

/** The answer to a waiting batch: an SSE-C key to try, or what to do with the files that already exist. */
export const downloadAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customer-key'), keyName: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('on-exists'), choice: onExistsSchema }),
])
export type DownloadAnswer = z.infer<typeof downloadAnswerSchema>
