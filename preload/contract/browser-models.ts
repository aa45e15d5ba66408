import { z } from 'zod'
import { ipcErrorSchema } from './errors'
import { bucketEncryptionSchema } from './models'

/** Bucket browser operations: delete, create folder, create bucket, a bucket's default encryption. */

/** Whether the bucket keeps versions: a delete there writes a delete marker and the old versions stay. */
export const bucketVersioningSchema = z.enum(['enabled', 'suspended', 'disabled', 'unknown'])
export type BucketVersioning = z.infer<typeof bucketVersioningSchema>

/** What goes when objects and folders are deleted, counted before asking the user. */
export const deletePlanSchema = z.object({
  /** Objects named one by one. */
  objectCount: z.number().int().nonnegative(),
  /** Each folder with the number of objects under it (its own `prefix/` marker included). */
  folders: z.array(z.object({ prefix: z.string(), objectCount: z.number().int().nonnegative() })),
  /** Objects in all: what the confirmation and the progress count to. */
  total: z.number().int().nonnegative(),
  versioning: bucketVersioningSchema,
})
export type DeletePlan = z.infer<typeof deletePlanSchema>

export const deleteFailureSchema = z.object({ key: z.string(), code: z.string(), message: z.string() })
export type DeleteFailure = z.infer<typeof deleteFailureSchema>

/** What the server confirmed: the keys it reports deleted, and each key it refused with its reason. */
export const deleteResultSchema = z.object({
  deleted: z.number().int().nonnegative(),
  /** Delete markers the server reported writing (versioned buckets). */
  deleteMarkers: z.number().int().nonnegative(),
  /** The first failures (at most 1,000), and how many there were in all. */
  failures: z.array(deleteFailureSchema),
  failedCount: z.number().int().nonnegative(),
  versioning: bucketVersioningSchema,
})
export type DeleteResult = z.infer<typeof deleteResultSchema>

/** Progress of a delete, one event per batch of up to 1,000 keys. */
export const deleteProgressSchema = z.object({
  operationId: z.string(),
  deleted: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  done: z.boolean(),
})
export type DeleteProgress = z.infer<typeof deleteProgressSchema>

/** A bucket default the app can set: SSE-KMS (a key id, or the provider's default key) or SSE-OBS/SSE-S3. */
export const bucketDefaultChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('sse-kms'), keyId: z.string().trim().min(1).max(2048).optional() }),
  z.object({ mode: z.literal('sse-obs') }),
])
export type BucketDefaultChoice = z.infer<typeof bucketDefaultChoiceSchema>

export const createBucketResultSchema = z.object({
  name: z.string(),
  /** The region sent as location constraint, when the provider takes one. */
  region: z.string().optional(),
  /** The default encryption read back after setting it (when one was asked for). */
  encryption: bucketEncryptionSchema.optional(),
  /** The bucket exists, but its default encryption could not be set: why. */
  encryptionError: ipcErrorSchema.optional(),
})
export type CreateBucketResult = z.infer<typeof createBucketResultSchema>

/** What to delete: objects by key, and whole folders (prefixes ending in `/`). One shape for core and renderer. */
export interface DeleteTargets {
  keys: string[]
  prefixes: string[]
}
