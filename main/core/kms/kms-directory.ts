import type { IpcError } from '../../../preload/contract/errors'
import type { KmsKey } from '../../../preload/contract/models'

/** The account's access key pair, as resolve-credentials returns it; never stored by a directory. */
export interface KmsCredentials {
  accessKeyId: string
  secretAccessKey: string
}

/**
 * One place that knows where an account's SSE-KMS keys come from: the provider's KMS API (Huawei Cloud / OTC,
 * AWS) or, for servers without one (MinIO, Ceph RGW, custom S3), the key ids the user typed.
 *
 * `listKeys()` answers the provider's default key for object storage first (obs/default, aws/s3; listed, or
 * synthesised when the provider creates it on first use), then the other keys sorted by alias, then id.
 * The default key's `headerId` is always '' ("send no key id"): the server then uses the bucket owner's default
 * key, which is what an `sse-kms` choice without a key id means (see EncryptionChoice) and works even before
 * that key exists. Any failure is thrown as an AppError whose message names the fix (a missing permission
 * names it: kms:cmk:list on Huawei/OTC, kms:ListKeys/ListAliases/DescribeKey on AWS).
 */
export interface KmsDirectory {
  listKeys(): Promise<KmsKey[]>
}

export interface KmsDirectoryOptions {
  /** A CA certificate file to trust in addition to the public roots; defaults to the account's. */
  caFile?: string
  /** Replaces the HTTP layer of the Huawei directory (tests, or a host that must use its own fetch). */
  fetchImpl?: typeof fetch
  /** The KMS endpoint to call instead of the one derived from the account (tests, private endpoints). */
  endpointOverride?: string
  /** Keys asked for per page; the providers' defaults are large, tests use small pages to exercise paging. */
  pageSize?: number
  /** The clock used to date signed requests (tests simulate a skewed clock with it). */
  now?: () => Date
  /** Abandon a request after this long without an answer. */
  timeoutMs?: number
}

/**
 * What a key picker needs to render in one answer, so that it never has to choose between showing the
 * listing problem and letting the user type a key id:
 * - `keys`: the default key first, then listed and hand-typed keys (deduplicated), each with its state and
 *   origin; present even when listing failed, so manual entry and the default key stay available;
 * - `listingError`: why the provider's list is missing (e.g. KMS_PERMISSION_MISSING naming kms:cmk:list),
 *   shown next to the manual-entry field rather than instead of it;
 * - `providerLists`: false for servers without a key-listing API, where manual entry is the normal path and
 *   no error is shown;
 * - `consoleUrl`: where the user can create a key, when the provider preset knows it.
 */
export interface KmsKeyListing {
  keys: KmsKey[]
  listingError?: IpcError
  providerLists: boolean
  consoleUrl?: string
}
