import { z } from 'zod'
import { ipcErrorSchema } from './errors'
import { JOB_STATES, type JobState, jobSchema, jobScopeSchema, jobStateSchema } from './queue-models'

/** The most ids one `queue:removed` event carries (~60 KiB): clearing 100,000 jobs is many small frames. */
export const REMOVED_CHUNK = 8000

/**
 * Changed jobs are gathered for this long and sent together as one `queue:jobs` event: 10,000 files queued at once
 * are a few frames, not 10,000 (each job in it once, as it is at the end of the window).
 */
export const JOB_EVENT_WINDOW_MS = 50
/**
 * The most JSON of jobs one `queue:jobs` event carries (a job with long names takes up to ~10 KiB), and the most
 * jobs: a frame stays well under 256 KiB; more changes go in the next events of the same window.
 */
export const JOB_EVENT_MAX_BYTES = 96 * 1024
export const JOB_EVENT_MAX_JOBS = 1000

/** The most jobs one page may carry. */
export const MAX_PAGE_SIZE = 500
/**
 * A page also ends when its jobs take this many bytes of JSON (long keys and paths: a job may take ~10 KiB),
 * so that an answer always fits a frame of 256 KiB; `nextCursor` then goes on where it ended.
 */
export const MAX_PAGE_BYTES = 192 * 1024
export const DEFAULT_PAGE_SIZE = 100

/**
 * A page cursor is opaque to its users: it names where the last page ended (jobs are listed newest first,
 * so the next page holds the jobs older than that one). Encoded here so that the contract can reject a
 * cursor it never gave out with a clear message instead of an empty page.
 */
const CURSOR_PREFIX = 'q1.'

export function encodePageCursor(beforeId: number): string {
  return `${CURSOR_PREFIX}${beforeId.toString(36)}`
}

/** The job id a cursor stands for, or undefined when the text is not a cursor of this queue. */
export function decodePageCursor(cursor: string): number | undefined {
  if (!cursor.startsWith(CURSOR_PREFIX)) return undefined
  const digits = cursor.slice(CURSOR_PREFIX.length)
  if (!/^[0-9a-z]{1,11}$/.test(digits)) return undefined
  const id = Number.parseInt(digits, 36)
  return Number.isSafeInteger(id) && id > 0 ? id : undefined
}

export const pageCursorSchema = z
  .string()
  .max(20)
  .refine((cursor) => decodePageCursor(cursor) !== undefined, {
    message: 'This is not a page cursor of the queue: ask for the first page again (without a cursor)',
  })

/** Counts of jobs per state (kept by the queue DB; cheap to read). */
export const jobCountsSchema = z.record(jobStateSchema, z.number().int().nonnegative())
export type JobCounts = Record<JobState, number>

/** Counts of one account and/or watched folder (`queue:counts`); empty = the whole queue. */
export const countsFilterSchema = jobScopeSchema
export type CountsFilter = z.infer<typeof countsFilterSchema>

/** One page of the upload queue: filtered, newest first. */
export const queuePageRequestSchema = z.object({
  /** Only jobs in these states (omitted = all). */
  states: z.array(jobStateSchema).min(1).max(JOB_STATES.length).optional(),
  accountId: z.string().min(1).max(200).optional(),
  /** Only the jobs of one watched folder. */
  syncPairId: z.string().min(1).max(200).optional(),
  /**
   * Leaves out the jobs that `queue:problem-groups` shows as a group (failed, held, retrying), so that a cause
   * is one row, not one row a job.
   */
  withoutProblems: z.boolean().optional(),
  /** From a previous page's `nextCursor`; omitted = the first (newest) page. */
  cursor: pageCursorSchema.optional(),
  limit: z
    .number()
    .min(1, 'A page holds at least 1 job')
    .max(MAX_PAGE_SIZE, `A page holds at most ${MAX_PAGE_SIZE} jobs: ask for the next page with its cursor`)
    .int()
    .optional(),
})
export type QueuePageRequest = z.input<typeof queuePageRequestSchema>

export const queuePageSchema = z.object({
  jobs: z.array(jobSchema),
  /** Where the next (older) page starts; omitted when this page is the last. A page of long jobs may hold
   * fewer than `limit` (MAX_PAGE_BYTES) and still have a next one. */
  nextCursor: z.string().optional(),
  /**
   * Jobs per state of this page's account / watched folder filter, or of the whole queue without one (a state
   * filter does not narrow them: they count every state).
   */
  counts: jobCountsSchema,
})
export type QueuePage = z.infer<typeof queuePageSchema>

/** Why a job is not done: failed (given up), held (waits for its cause to be fixed) or retrying (waits to retry). */
export const JOB_PROBLEMS = ['failed', 'held', 'retrying'] as const
export type JobProblem = (typeof JOB_PROBLEMS)[number]

/**
 * Jobs stopped by one cause (account, error code and message), computed by the queue (core): one row per
 * cause however many jobs it stopped, with what each of them is (failed, held, retrying) and a few examples.
 */
export const problemGroupSchema = z.object({
  /** Opaque id of the cause, for `queue:group-action`. */
  id: z.string(),
  accountId: z.string(),
  error: ipcErrorSchema,
  count: z.number().int().positive(),
  failed: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
  retrying: z.number().int().nonnegative(),
  /** Of the held ones, how many are paused (the rest of a failed batch) rather than queued (account held). */
  heldPaused: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  /** The first few jobs of the group (oldest first), to name them. */
  examples: z.array(z.object({ id: z.number().int(), bucket: z.string(), key: z.string() })).max(5),
})
export type ProblemGroup = z.infer<typeof problemGroupSchema>

/**
 * The most groups one answer carries (biggest first), and the most JSON they take: a group is ~1.5 KiB, but one
 * whose examples have long keys and whose message names a long KMS key id takes ~8 KiB, and an answer must fit a
 * frame of 256 KiB. The rest are counted.
 */
export const MAX_PROBLEM_GROUPS = 50
export const MAX_PROBLEM_GROUPS_BYTES = 192 * 1024

export const problemGroupsSchema = z.object({
  groups: z.array(problemGroupSchema).max(MAX_PROBLEM_GROUPS),
  /** Causes beyond those sent, and how many jobs they stopped. */
  more: z.object({ groups: z.number().int().nonnegative(), jobs: z.number().int().nonnegative() }),
})
export type ProblemGroups = z.infer<typeof problemGroupsSchema>

export const problemGroupsRequestSchema = jobScopeSchema.extend({
  /** Only these jobs (e.g. those of one `obs-sync upload`); omitted = the whole queue (or its account/folder). */
  jobIds: z.array(z.number().int()).max(1_000_000).optional(),
})
export type ProblemGroupsRequest = z.infer<typeof problemGroupsRequestSchema>

/** The ids a group id stands for are never sent: 100,000 held jobs are one short request. */
export const groupActionSchema = jobScopeSchema.extend({
  groupId: z.string().min(1).max(4096),
  /** retry: queue them again; cancel: stop them; clear: cancel what is not finished and remove them all. */
  action: z.enum(['retry', 'cancel', 'clear']),
  // accountId / syncPairId: only the group's jobs of that account / watched folder (a narrowed view's group).
})
export type GroupAction = z.infer<typeof groupActionSchema>

/** Finished uploads pruned from the queue (of an account / watched folder, or all), as a count and bytes per day (UTC). */
export const uploadHistorySchema = z.object({
  total: z.object({ uploads: z.number().int().nonnegative(), bytes: z.number().nonnegative() }),
  /** The latest days first, at most 90. */
  days: z
    .array(
      z.object({
        day: z.string(),
        uploads: z.number().int().nonnegative(),
        bytes: z.number().nonnegative(),
      }),
    )
    .max(90),
  /** Done jobs older than this many days leave the queue for this history. */
  keepDoneDays: z.number().int().positive(),
  /**
   * Of an account's or watched folder's history only, when there are any: uploads counted before the history kept
   * whose they were (queue DB schema 6). They are in the whole queue's figure, not in the narrowed one.
   */
  unattributed: z
    .object({ uploads: z.number().int().nonnegative(), bytes: z.number().nonnegative() })
    .optional(),
})
export type UploadHistory = z.infer<typeof uploadHistorySchema>

export const MAX_KEEP_DONE_DAYS = 3650
export const DEFAULT_KEEP_DONE_DAYS = 7
// The range before wholeness: a number past 2^53 is refused as too big, not as "not whole".
export const keepDoneDaysSchema = z
  .number()
  .min(1, 'Keep finished uploads at least 1 day')
  .max(MAX_KEEP_DONE_DAYS, `Keep finished uploads at most ${MAX_KEEP_DONE_DAYS} days`)
  .int()
