import { z } from 'zod'

/**
 * Storage classes and archived objects (issue #20), grouped here so other features' contract changes merge
 * cleanly. Class ids are the S3 wire values sent as `x-amz-storage-class` (STANDARD, STANDARD_IA, GLACIER, or a
 * name a self-hosted server defines, such as Ceph RGW's COLD); each provider preset says which exist and what
 * the provider calls them (OBS: Standard / Warm / Cold).
 */

/** A storage class as typed or picked by the user: an id or a provider's name for it; core resolves it. */
export const storageClassInputSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _-]*$/, 'a storage class name: letters, digits, "_", "-" or spaces')

export const storageClassOptionSchema = z.object({
  /** The S3 wire value (x-amz-storage-class). */
  id: z.string(),
  /** The provider's own name (OBS: Standard, Warm, Cold). */
  label: z.string(),
  /** Archived objects must be restored before they can be downloaded or shared. */
  archived: z.boolean(),
})
export type StorageClassOption = z.infer<typeof storageClassOptionSchema>

export const RESTORE_TIERS = ['expedited', 'standard', 'bulk'] as const
export const restoreTierSchema = z.enum(RESTORE_TIERS)
export type RestoreTier = z.infer<typeof restoreTierSchema>

/** What a provider offers: its classes, whether other names may be typed (self-hosted servers), restore speeds. */
export const storageClassSupportSchema = z.object({
  classes: z.array(storageClassOptionSchema),
  /** True where an administrator names the classes (Ceph RGW placement, MinIO tiers): any name may be sent. */
  customNames: z.boolean(),
  restoreTiers: z.array(restoreTierSchema),
})
export type StorageClassSupport = z.infer<typeof storageClassSupportSchema>

/**
 * An archived object's state, from HEAD's `x-amz-restore` / `x-obs-restore`: `archived` (no readable copy),
 * `restoring` (a restore is under way), `restored` (a temporary copy is readable until `restoredUntil`).
 */
export const archiveStateSchema = z.object({
  state: z.enum(['archived', 'restoring', 'restored']),
  restoredUntil: z.string().optional(),
})
export type ArchiveState = z.infer<typeof archiveStateSchema>

export const restoreRequestSchema = z.object({
  accountId: z.string().min(1).max(200),
  bucket: z.string().min(1).max(255),
  key: z.string().min(1).max(1024),
  /** How long the restored copy stays readable (OBS and S3: 1 to 30 days here). */
  days: z.number().int().min(1).max(30),
  tier: restoreTierSchema.optional(),
})
export type RestoreRequest = z.infer<typeof restoreRequestSchema>

export const restoreResultSchema = z.object({
  /** started: the server accepted a new restore; extended: a restored copy's days were reset; in-progress: one runs. */
  outcome: z.enum(['started', 'extended', 'in-progress']),
  archive: archiveStateSchema.optional(),
})
export type RestoreResult = z.infer<typeof restoreResultSchema>
