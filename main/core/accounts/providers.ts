import { fillRegion } from '../../../preload/contract/endpoint-template'
import type { AccountInput, Addressing, Provider } from '../../../preload/contract/models'
import { AppError } from '../errors'

/** Which key directory lists an account's KMS keys. */
export type KmsDirectoryKind = 'huawei' | 'aws' | 'manual'

export interface ProviderPreset {
  id: Provider
  label: string
  /** `{region}` is replaced by the account's region; empty when the user must type the endpoint. */
  endpointTemplate: string
  defaultRegion: string
  addressing: Addressing
  /** The alias of the key SSE-KMS uses when no key id is given; undefined where the server has none. */
  defaultKmsKeyAlias?: string
  kmsDirectory: KmsDirectoryKind
  kmsEndpointTemplate?: string
  /** Where the user creates a key, linked from the key picker. */
  kmsConsoleTemplate?: string
  /**
   * A bucket's default encryption: may the app set it, may it remove it, and in which XML shape (OBS says
   * `kms` and takes a ProjectID, S3 says `aws:kms`). `remove` is true only where DeleteBucketEncryption is
   * documented: Ceph RGW 16 takes DELETE /bucket?encryption for a bucket delete and removes an empty bucket.
   */
  bucketEncryption: { set: boolean; remove: boolean; shape: 'obs' | 's3' }
  /**
   * What CreateBucket sends as LocationConstraint: the account's region; the region except us-east-1 (AWS
   * refuses it there); or nothing (Ceph RGW answers InvalidLocationConstraint to a region name: its
   * zonegroup decides where a bucket lives).
   */
  bucketLocation: 'region' | 'region-except-us-east-1' | 'none'
}

/**
 * OBS forbids path-style requests, so OBS and AWS presets are virtual-hosted; self-hosted servers usually
 * have no wildcard DNS, so MinIO and RGW default to path-style.
 */
export const PROVIDER_PRESETS: Record<Provider, ProviderPreset> = {
  'huawei-obs': {
    id: 'huawei-obs',
    label: 'Huawei Cloud OBS',
    endpointTemplate: 'https://obs.{region}.myhuaweicloud.com',
    defaultRegion: 'cn-north-4',
    addressing: 'virtual-hosted',
    defaultKmsKeyAlias: 'obs/default',
    kmsDirectory: 'huawei',
    kmsEndpointTemplate: 'https://kms.{region}.myhuaweicloud.com',
    kmsConsoleTemplate: 'https://console.huaweicloud.com/dew/?region={region}#/dew/kms/keyList/customKey',
    bucketEncryption: { set: true, remove: true, shape: 'obs' },
    bucketLocation: 'region',
  },
  'otc-obs': {
    id: 'otc-obs',
    label: 'Open Telekom Cloud OBS',
    endpointTemplate: 'https://obs.{region}.otc.t-systems.com',
    defaultRegion: 'eu-de',
    addressing: 'virtual-hosted',
    defaultKmsKeyAlias: 'obs/default',
    kmsDirectory: 'huawei',
    kmsEndpointTemplate: 'https://kms.{region}.otc.t-systems.com',
    kmsConsoleTemplate: 'https://console.otc.t-systems.com/dew/?region={region}#/kms/keyList/customKey',
    bucketEncryption: { set: true, remove: true, shape: 'obs' },
    bucketLocation: 'region',
  },
  'aws-s3': {
    id: 'aws-s3',
    label: 'Amazon S3',
    endpointTemplate: 'https://s3.{region}.amazonaws.com',
    defaultRegion: 'us-east-1',
    addressing: 'virtual-hosted',
    defaultKmsKeyAlias: 'aws/s3',
    kmsDirectory: 'aws',
    kmsConsoleTemplate: 'https://{region}.console.aws.amazon.com/kms/home?region={region}#/kms/keys/create',
    bucketEncryption: { set: true, remove: true, shape: 's3' },
    bucketLocation: 'region-except-us-east-1',
  },
  minio: {
    id: 'minio',
    label: 'MinIO',
    endpointTemplate: '',
    defaultRegion: 'us-east-1',
    addressing: 'path',
    kmsDirectory: 'manual',
    // `mc encrypt set/clear` use PutBucketEncryption/DeleteBucketEncryption (MinIO docs, "mc encrypt").
    bucketEncryption: { set: true, remove: true, shape: 's3' },
    bucketLocation: 'region-except-us-east-1',
  },
  'ceph-rgw': {
    id: 'ceph-rgw',
    label: 'Ceph RADOS Gateway',
    endpointTemplate: '',
    defaultRegion: 'us-east-1',
    addressing: 'path',
    kmsDirectory: 'manual',
    // RGW 16 answers PutBucketEncryption with 400 and deletes an empty bucket on DeleteBucketEncryption.
    bucketEncryption: { set: false, remove: false, shape: 's3' },
    bucketLocation: 'none',
  },
  'custom-s3': {
    id: 'custom-s3',
    label: 'Other S3-compatible storage',
    endpointTemplate: '',
    defaultRegion: 'us-east-1',
    addressing: 'virtual-hosted',
    kmsDirectory: 'manual',
    // Setting is harmless to try (the server's answer decides); removing is never sent to an unknown server.
    bucketEncryption: { set: true, remove: false, shape: 's3' },
    bucketLocation: 'region-except-us-east-1',
  },
}

/** An account as a shell may give it: endpoint, region and addressing may be left to the provider's preset. */
export { fillRegion }

export type AccountDraft = Omit<AccountInput, 'endpoint' | 'region' | 'addressing'> &
  Partial<Pick<AccountInput, 'endpoint' | 'region' | 'addressing'>>

/**
 * Fills what an account leaves out from its provider's preset: the default region, the endpoint for that region,
 * the preset's addressing. A provider without an endpoint template (self-hosted servers) needs an endpoint.
 */
export function withPresetDefaults(draft: AccountDraft): AccountInput {
  const preset = PROVIDER_PRESETS[draft.provider]
  const region = draft.region ?? preset.defaultRegion
  const endpoint = draft.endpoint ?? fillRegion(preset.endpointTemplate, region)
  if (!endpoint)
    throw new AppError('INVALID_ARGUMENT', `An endpoint is required for ${preset.label}.`, {
      params: { rule: 'endpointRequired', provider: preset.label },
    })
  return { ...draft, region, endpoint, addressing: draft.addressing ?? preset.addressing }
}
