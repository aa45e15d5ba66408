import { z } from 'zod'

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
})
export type Account = z.infer<typeof accountSchema>

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  nodeVersion: z.string(),
  dataDir: z.string(),
})
export type AppInfo = z.infer<typeof appInfoSchema>
