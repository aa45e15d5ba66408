import { z } from 'zod'
import { archiveStateSchema, storageClassSupportSchema } from './storage-class-models'

/** Provider presets an account can be created from; they decide defaults such as the SSE-KMS default key. */
export const PROVIDERS = ['huawei-obs', 'otc-obs', 'aws-s3', 'minio', 'ceph-rgw', 'custom-s3'] as const
export const providerSchema = z.enum(PROVIDERS)
export type Provider = z.infer<typeof providerSchema>

export const addressingSchema = z.enum(['virtual-hosted', 'path'])
export type Addressing = z.infer<typeof addressingSchema>

/** An account as the renderer sees it: never a secret, only whether the keychain holds one. */
export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: providerSchema,
  endpoint: z.string(),
  region: z.string(),
  addressing: addressingSchema,
  caFile: z.string().optional(),
  proxy: z.string().optional(),
  accessKeyId: z.string(),
  /** Huawei Cloud / OTC project id of the region, needed by the KMS key list. */
  projectId: z.string().optional(),
  /** Key ids the user typed by hand (when listing keys is not allowed, or on servers without a KMS API). */
  manualKmsKeyIds: z.array(z.string()).optional(),
})
export type Account = z.infer<typeof accountSchema>

/** What the add/edit form sends: the settings plus, once, the secret key on its way to the keychain. */
export const accountInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  provider: providerSchema,
  endpoint: z.string().trim().min(1).max(2048),
  region: z.string().trim().max(64),
  addressing: addressingSchema,
  caFile: z.string().max(4096).optional(),
  proxy: z.string().max(2048).optional(),
  accessKeyId: z.string().trim().min(1).max(256),
  projectId: z.string().trim().max(64).optional(),
  manualKmsKeyIds: z.array(z.string().trim().min(1).max(2048)).max(200).optional(),
  secretAccessKey: z.string().min(1).max(1024).optional(),
})
export type AccountInput = z.infer<typeof accountInputSchema>

/** A new account as any shell may give it: endpoint, region and addressing left out are the preset's. */
export const accountAddSchema = accountInputSchema.extend({
  endpoint: accountInputSchema.shape.endpoint.optional(),
  region: accountInputSchema.shape.region.optional(),
  addressing: accountInputSchema.shape.addressing.optional(),
})

export const providerPresetSchema = z.object({
  id: providerSchema,
  label: z.string(),
  endpointTemplate: z.string(),
  defaultRegion: z.string(),
  addressing: addressingSchema,
  defaultKmsKeyAlias: z.string().optional(),
  /** SSE-KMS needs a key id here (no default key): decided in core (kms-key-required.ts), shown by the forms. */
  sseKmsNeedsKeyId: z.boolean(),
  storageClasses: storageClassSupportSchema,
  /** Whether the app may set / remove a bucket's default encryption on this provider. */
  bucketEncryption: z.object({ set: z.boolean(), remove: z.boolean() }),
})
export type ProviderPresetInfo = z.infer<typeof providerPresetSchema>

export const connectionTestSchema = z.object({
  bucketCount: z.number().int().nonnegative(),
  latencyMs: z.number(),
})
export type ConnectionTest = z.infer<typeof connectionTestSchema>

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  nodeVersion: z.string(),
  dataDir: z.string(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

/**
 * An encryption choice as the user makes it (upload dialog, folder rule) or as a bucket default states it.
 * `sse-kms` without a key id means the provider's default key (obs/default on OBS, aws/s3 on AWS).
 * `sse-c` names a customer key kept in the keychain, never the key itself.
 */
export const encryptionChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('sse-kms'), keyId: z.string().min(1).max(2048).optional() }),
  z.object({ mode: z.literal('sse-obs') }),
  z.object({ mode: z.literal('sse-c'), customerKeyName: z.string().min(1).max(200) }),
])
export type EncryptionChoice = z.infer<typeof encryptionChoiceSchema>

/** Where the encryption of an upload came from, shown next to it so the user knows why. */
export const encryptionSourceSchema = z.enum(['explicit', 'folder-rule', 'bucket-default', 'none'])
export type EncryptionSource = z.infer<typeof encryptionSourceSchema>

export const resolvedEncryptionSchema = z.object({
  choice: encryptionChoiceSchema,
  source: encryptionSourceSchema,
})
export type ResolvedEncryption = z.infer<typeof resolvedEncryptionSchema>

export const kmsKeyStateSchema = z.enum([
  'enabled',
  'disabled',
  'pending-deletion',
  'pending-activation',
  'pending-import',
  'unknown',
])
export type KmsKeyState = z.infer<typeof kmsKeyStateSchema>

/** A KMS key as the key picker shows it. */
export const kmsKeySchema = z.object({
  /** The short id the user recognises (a UUID on Huawei/AWS, whatever the user typed for manual keys). */
  id: z.string(),
  /** The id exactly as the SSE-KMS header needs it (OBS: `region:domainId:key/keyId`; AWS: the key ARN). */
  headerId: z.string(),
  alias: z.string().optional(),
  description: z.string().optional(),
  state: kmsKeyStateSchema,
  /** The provider's default key for object storage (obs/default, aws/s3). Always listed first. */
  isDefault: z.boolean(),
  /** Listed by the provider's KMS, or typed by the user. */
  origin: z.enum(['listed', 'manual']),
})
export type KmsKey = z.infer<typeof kmsKeySchema>

export const bucketSchema = z.object({ name: z.string(), createdAt: z.string().optional() })
export type Bucket = z.infer<typeof bucketSchema>

export const objectSummarySchema = z.object({
  key: z.string(),
  size: z.number().nonnegative(),
  lastModified: z.string().optional(),
  etag: z.string().optional(),
  storageClass: z.string().optional(),
  /** The provider's name for the class (OBS: Standard / Warm / Cold), and whether it is an archive class. */
  storageClassLabel: z.string().optional(),
  archived: z.boolean().optional(),
})
export type ObjectSummary = z.infer<typeof objectSummarySchema>

/** One page of a listing: sub-folders (common prefixes) and objects, and the token for the next page. */
export const objectPageSchema = z.object({
  prefix: z.string(),
  folders: z.array(z.string()),
  objects: z.array(objectSummarySchema),
  nextToken: z.string().optional(),
})
export type ObjectPage = z.infer<typeof objectPageSchema>

/** How an object is actually encrypted, as the server reports it. */
export const objectEncryptionSchema = z.object({
  mode: z.enum(['none', 'sse-kms', 'sse-obs', 'sse-c']),
  /** The key id the server reports (SSE-KMS), and its alias when the key directory knows it. */
  kmsKeyId: z.string().optional(),
  kmsKeyAlias: z.string().optional(),
})
export type ObjectEncryption = z.infer<typeof objectEncryptionSchema>

export const objectDetailsSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  size: z.number().nonnegative(),
  lastModified: z.string().optional(),
  contentType: z.string().optional(),
  etag: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  /** Our own SHA-256 of the content, from the object metadata (the ETag of an encrypted object is no MD5). */
  sha256: z.string().optional(),
  encryption: objectEncryptionSchema,
  /** The S3 id of the object's class (STANDARD when the server names none) and the provider's name for it. */
  storageClass: z.string().optional(),
  storageClassLabel: z.string().optional(),
  /** Set for objects in an archive class: whether a readable copy exists (restore state). */
  archive: archiveStateSchema.optional(),
})
export type ObjectDetails = z.infer<typeof objectDetailsSchema>

/** A bucket's default encryption; `unknown` when the server cannot tell (Ceph RGW answers with a listing). */
export const bucketEncryptionSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({
    state: z.literal('unknown'),
    /** Main's English sentence (the CLI prints it). */
    reason: z.string(),
    /** Why, for the window to word in its language (bucketDefaultUnknown.*); `algorithm` for 'unknown-algorithm'. */
    why: z.enum(['no-configuration', 'unknown-algorithm', 'not-reported']).optional(),
    algorithm: z.string().max(200).optional(),
  }),
  z.object({ state: z.literal('set'), encryption: objectEncryptionSchema }),
])
export type BucketEncryption = z.infer<typeof bucketEncryptionSchema>

/**
 * Shown when an account is added or edited with a plain-HTTP endpoint that is not this machine: the app refuses
 * SSE-KMS and SSE-C there (keys and key requests would cross the network in clear). Loopback test servers are
 * left alone. Pure, so the account form, the CLI and the core say the same.
 */
export function plainHttpWarning(endpoint: string): string | undefined {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:') return undefined
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return undefined
  return `${url.origin} is plain HTTP: SSE-KMS and SSE-C will be refused for this account (uploads and reads). Use https:// to encrypt.`
}
