import { z } from 'zod'
import { ipcErrorSchema } from './errors'
import { encryptionChoiceSchema } from './models'
import { storageClassInputSchema } from './storage-class-models'

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
  mirrorDeleteCapPercent: z.number().min(0).max(100),
  paused: z.boolean(),
})
export type SyncPair = z.infer<typeof syncPairSchema>

export const syncPairInputSchema = syncPairSchema.omit({ id: true, paused: true }).extend({
  localPath: z.string().min(1).max(4096),
  bucket: z.string().min(1).max(255),
  prefix: z.string().max(1024),
})
export type SyncPairInput = z.infer<typeof syncPairInputSchema>

export const syncPairStatusSchema = z.object({
  id: z.string(),
  state: z.enum(['idle', 'scanning', 'syncing', 'paused', 'error']),
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

/** One line of the activity log. */
export const activitySchema = z.object({
  at: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  syncPairId: z.string().optional(),
  jobId: z.number().int().optional(),
})
export type Activity = z.infer<typeof activitySchema>
