import type { Provider } from '../../../preload/contract/models'
import type { StorageClassOption, StorageClassSupport } from '../../../preload/contract/storage-class-models'
import { AppError } from '../errors'

/**
 * The one place that knows which storage classes each provider has, what it calls them, and how a name the
 * user types maps to the S3 id we send as `x-amz-storage-class`.
 *
 * OBS in S3-compatible mode takes the S3 ids (STANDARD, STANDARD_IA, GLACIER) and names them Standard / Warm /
 * Cold; its own API (x-obs-storage-class) says STANDARD / WARM / COLD, so those names are accepted and
 * understood in answers too. Sources: "Storage Classes", https://support.huaweicloud.com/intl/en-us/usermanual-obs/obs_03_0312.html
 * and "PUT Object" (x-amz-storage-class / x-obs-storage-class), https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0080.html;
 * AWS: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (x-amz-storage-class values).
 */

const OBS: StorageClassSupport = {
  classes: [
    { id: 'STANDARD', label: 'Standard', archived: false },
    { id: 'STANDARD_IA', label: 'Warm', archived: false },
    { id: 'GLACIER', label: 'Cold', archived: true },
  ],
  customNames: false,
  restoreTiers: ['expedited', 'standard'],
}

/** OBS's own names (x-obs-storage-class) for the S3 ids it also accepts. */
const OBS_NATIVE: Record<string, string> = { WARM: 'STANDARD_IA', COLD: 'GLACIER' }

const AWS: StorageClassSupport = {
  classes: [
    { id: 'STANDARD', label: 'Standard', archived: false },
    { id: 'STANDARD_IA', label: 'Standard-IA', archived: false },
    { id: 'ONEZONE_IA', label: 'One Zone-IA', archived: false },
    { id: 'INTELLIGENT_TIERING', label: 'Intelligent-Tiering', archived: false },
    { id: 'GLACIER_IR', label: 'Glacier Instant Retrieval', archived: false },
    { id: 'GLACIER', label: 'Glacier Flexible Retrieval', archived: true },
    { id: 'DEEP_ARCHIVE', label: 'Glacier Deep Archive', archived: true },
  ],
  customNames: false,
  restoreTiers: ['expedited', 'standard', 'bulk'],
}

/**
 * Self-hosted servers: the administrator defines the classes (Ceph RGW: zonegroup placement storage classes;
 * MinIO: REDUCED_REDUNDANCY or tiers). STANDARD always exists; other names are sent as typed, and the server
 * refuses one it does not have (InvalidStorageClass / InvalidArgument).
 */
const SELF_HOSTED: StorageClassSupport = {
  classes: [{ id: 'STANDARD', label: 'Standard', archived: false }],
  customNames: true,
  restoreTiers: ['standard'],
}

const SUPPORT: Record<Provider, StorageClassSupport> = {
  'huawei-obs': OBS,
  'otc-obs': OBS,
  'aws-s3': AWS,
  minio: SELF_HOSTED,
  'ceph-rgw': SELF_HOSTED,
  'custom-s3': SELF_HOSTED,
}

/** S3 ids that are archives everywhere: reading needs a restore first. */
const ARCHIVE_IDS = new Set(['GLACIER', 'DEEP_ARCHIVE'])

export function storageClassSupport(provider: Provider): StorageClassSupport {
  return SUPPORT[provider]
}

export function isObsProvider(provider: Provider): boolean {
  return provider === 'huawei-obs' || provider === 'otc-obs'
}

const squash = (name: string) => name.toUpperCase().replace(/[\s-]+/g, '_')

/**
 * The S3 id of a class as answered by the server (ListObjectsV2 StorageClass, HEAD x-amz-storage-class or
 * x-obs-storage-class). S3 leaves the header out for STANDARD, so absent means STANDARD.
 */
export function canonicalStorageClass(provider: Provider, answered: string | undefined): string {
  if (!answered) return 'STANDARD'
  const id = squash(answered)
  return (isObsProvider(provider) && OBS_NATIVE[id]) || id
}

function optionFor(provider: Provider, id: string): StorageClassOption | undefined {
  return SUPPORT[provider].classes.find((c) => c.id === id)
}

/** The provider's name for a class (OBS: Standard / Warm / Cold); an unknown id is shown as the server says it. */
export function storageClassLabel(provider: Provider, answered: string | undefined): string {
  const id = canonicalStorageClass(provider, answered)
  return optionFor(provider, id)?.label ?? id
}

/** Objects of this class must be restored before they are read. */
export function isArchiveClass(provider: Provider, answered: string | undefined): boolean {
  const id = canonicalStorageClass(provider, answered)
  return optionFor(provider, id)?.archived ?? ARCHIVE_IDS.has(id)
}

/**
 * Turns what the user typed or picked (an S3 id such as `STANDARD_IA`, the provider's name such as `Warm` or
 * `cold`, OBS's own `WARM` / `COLD`) into the S3 id to send. A name the provider does not have is refused with
 * the list of those it has, before anything is queued.
 */
export function resolveStorageClass(provider: Provider, input: string): string {
  const support = SUPPORT[provider]
  const wanted = squash(input.trim())
  const byId = support.classes.find((c) => c.id === wanted)
  if (byId) return byId.id
  const byLabel = support.classes.find((c) => squash(c.label) === wanted)
  if (byLabel) return byLabel.id
  if (isObsProvider(provider) && OBS_NATIVE[wanted]) return OBS_NATIVE[wanted]
  if (support.customNames && /^[A-Z0-9][A-Z0-9_]{0,63}$/.test(wanted)) return wanted
  const names = support.classes.map((c) => `${c.label} (${c.id})`).join(', ')
  const custom = support.customNames
    ? ' or a class your server administrator defined (letters, digits and "_", such as COLD)'
    : ''
  throw new AppError(
    'INVALID_ARGUMENT',
    `"${input}" is not a storage class of this provider. Choose one of: ${names}${custom}.`,
    {
      params: support.customNames
        ? { rule: 'storageClassUnknownOrCustom', storageClass: input, choices: names }
        : { rule: 'storageClassUnknown', storageClass: input, choices: names },
    },
  )
}

/** Whether the class the server reports is the one asked for (OBS may answer in its own names). */
export function sameStorageClass(provider: Provider, asked: string, answered: string | undefined): boolean {
  return canonicalStorageClass(provider, asked) === canonicalStorageClass(provider, answered)
}
