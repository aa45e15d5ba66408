import { z } from 'zod'
import { ipcErrorSchema } from './errors'
import { encryptionChoiceSchema } from './models'
import { jobSchema } from './queue-models'
import { storageClassInputSchema } from './storage-class-models'
import { targetPrefixSchema } from './target-prefix'

/**
 * Mirror mode's safety cap when none is given (the folder form and `obs-sync sync --mirror` alike): at most this
 * share of a folder's remote files is deleted in one pass without the user's confirmation.
 */
export const DEFAULT_MIRROR_DELETE_CAP_PERCENT = 10

/** A percentage: a whole number from 0 to 100 ("abc", 12.5 or 150 are refused, never read as "no cap"). */
export const deleteCapSchema = z
  .number({ error: 'the mirror delete cap must be a whole number from 0 to 100' })
  .int({ error: 'the mirror delete cap must be a whole number from 0 to 100' })
  .min(0, { error: 'the mirror delete cap must be a whole number from 0 to 100' })
  .max(100, { error: 'the mirror delete cap must be a whole number from 0 to 100' })

/** A watched folder: local folder -> account/bucket/prefix with an encryption rule. */
export const syncPairSchema = z.object({
  id: z.string(),
  localPath: z.string(),
  accountId: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  /** The folder's encryption rule; omitted = the bucket's default encryption. */
  encryption: encryptionChoiceSchema.optional(),
  /** The folder's storage class for new uploads (an id or the provider's name); omitted = the bucket's default. */
  storageClass: storageClassInputSchema.optional(),
  /** upload-only keeps remote objects when local files are deleted; mirror deletes them (with a safety cap). */
  mode: z.enum(['upload-only', 'mirror']),
  /** Mirror mode refuses to delete more than this share of the remote files in one pass without confirmation. */
  mirrorDeleteCapPercent: deleteCapSchema,
  paused: z.boolean(),
})
export type SyncPair = z.infer<typeof syncPairSchema>

export const syncPairInputSchema = syncPairSchema.omit({ id: true, paused: true }).extend({
  localPath: z.string().min(1).max(4096),
  bucket: z.string().min(1).max(255),
  prefix: targetPrefixSchema,
})
export type SyncPairInput = z.infer<typeof syncPairInputSchema>

/**
 * A folder synced without being saved as a watched folder (`obs-sync sync` / `watch`): the same settings, the
 * delete cap defaulted, and what this run may do beyond them.
 */
export const transientSyncSchema = syncPairInputSchema.extend({
  mirrorDeleteCapPercent: deleteCapSchema.default(DEFAULT_MIRROR_DELETE_CAP_PERCENT),
  /** Mirror mode: this pass may delete more than the cap. */
  confirmDeletes: z.boolean().optional(),
  /** Also compare with the bucket: objects changed or deleted there since our uploads. */
  checkRemote: z.boolean().optional(),
})
export type TransientSync = z.input<typeof transientSyncSchema>

export const syncPairStatusSchema = z.object({
  id: z.string(),
  /** `missing`: the folder is deleted, renamed or unmounted; nothing is uploaded or deleted until it is back. */
  state: z.enum(['idle', 'scanning', 'syncing', 'paused', 'error', 'missing']),
  pendingFiles: z.number().int(),
  lastActivityAt: z.string().optional(),
  error: ipcErrorSchema.optional(),
  /** Mirror mode: remote deletions held back by the safety cap until the user confirms them. */
  heldDeletions: z.number().int().optional(),
})
export type SyncPairStatus = z.infer<typeof syncPairStatusSchema>

/** Objects of a watched folder that changed or disappeared in the bucket since we uploaded them. */
export const remoteChangesSchema = z.object({
  changed: z.array(z.object({ key: z.string(), localPath: z.string(), reason: z.string() })),
  deleted: z.array(z.object({ key: z.string(), localPath: z.string() })),
})
export type RemoteChanges = z.infer<typeof remoteChangesSchema>

/** What one pass over a folder did: its failed uploads, what it refused to do, and what changed remotely. */
export const syncReportSchema = z.object({
  pairId: z.string(),
  folder: z.string(),
  failed: z.array(jobSchema),
  problems: z.array(z.string()),
  /** Mirror deletions the pass held back by the safety cap: DELETIONS_HELD with the counts (deletions, cap). */
  deletionsHeld: ipcErrorSchema.optional(),
  remote: remoteChangesSchema,
  /** Uploads of the folder still waiting because their account is held (bad credentials, keychain locked...). */
  held: ipcErrorSchema.optional(),
})
export type SyncReport = z.infer<typeof syncReportSchema>

/**
 * What an activity line says, as data, so a window words it in its language (activityLines.* in the catalogue):
 * an upload done or failed; a file skipped by the folder walk (`why`: one of SKIP_REASONS in skip-reasons.ts, skipReasons.*); the
 * files a watched folder's scan found to upload; a remote copy deleted in mirror mode; a watched folder back; a
 * file changed in the bucket behind our back, whose local version goes to a conflict name; and the rare ones
 * about our own data (a full disk under the sync state, a damaged DB set aside, a data folder open to others).
 */
export const ACTIVITY_LINES = [
  'uploaded',
  'upload-failed',
  'skipped',
  'scan-found',
  'mirror-deleted',
  'folder-back',
  'remote-conflict',
  /** The sync state (`folder`) is saved again after its disk was full (the full disk is a DISK_FULL error line). */
  'state-saved',
  /** An upload's record could not be written to the sync state (`folder`; the line's `error` says why). */
  'record-failed',
  /** A damaged queue or state DB was moved aside (`path`, `aside`) and a new one started. */
  'queue-db-set-aside',
  'state-db-set-aside',
  /** The data folder (`dir`) can be read by other users (`mode`, octal). */
  'data-dir-open',
] as const
export type ActivityLineKind = (typeof ACTIVITY_LINES)[number]

/** One line of the activity log. */
export const activitySchema = z.object({
  at: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  /** Main's English sentence (the CLI and older lines). */
  message: z.string(),
  /**
   * The line as a catalogue key and the names in it (bucket, key); absent for lines not worded as data yet (those
   * with an `error` are worded as that error).
   */
  line: z
    .object({ kind: z.enum(ACTIVITY_LINES), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .optional(),
  /** The failure a line reports, with its code and parameters (worded like any error). */
  error: ipcErrorSchema.optional(),
  syncPairId: z.string().optional(),
  jobId: z.number().int().optional(),
})
export type Activity = z.infer<typeof activitySchema>

/**
 * Activity lines are gathered for this long and sent together as one `activity` event, oldest first: 2,000 uploads
 * finished within seconds are a few dozen frames, not 2,000. An event carries at most ACTIVITY_EVENT_MAX_LINES lines
 * and ACTIVITY_EVENT_MAX_BYTES of JSON (a line with a long key and error takes a few KiB): more go in the next one.
 */
export const ACTIVITY_EVENT_WINDOW_MS = 100
export const ACTIVITY_EVENT_MAX_BYTES = 96 * 1024
export const ACTIVITY_EVENT_MAX_LINES = 500
/** The most JSON `activity:recent` answers (newest lines first): 500 lines with long keys were ~1 MB, one frame. */
export const ACTIVITY_RECENT_MAX_BYTES = 192 * 1024
export type ActivityLine = NonNullable<Activity['line']>
/** What a line may carry besides main's sentence: the line as data, the error it reports. */
export type ActivityExtra = Pick<Activity, 'line' | 'error'>
