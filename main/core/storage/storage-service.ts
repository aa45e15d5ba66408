import type {
  BucketDefaultChoice,
  CreateBucketResult,
  DeletePlan,
  DeleteProgress,
  DeleteResult,
  DeleteTargets,
} from '../../../preload/contract/browser-models'
import type { Bucket, BucketEncryption, ObjectDetails, ObjectPage } from '../../../preload/contract/models'
import type { RestoreRequest, RestoreResult } from '../../../preload/contract/storage-class-models'
import type { AccountService } from '../accounts/account-service'
import { PROVIDER_PRESETS } from '../accounts/providers'
import type { CustomerKeys } from '../encryption/customer-keys'
import type { SseReadParams } from '../encryption/sse-headers'
import { AppError, toIpcError } from '../errors'
import { assertReadable } from './archive-guard'
import { listBuckets, listObjectPage } from './browse'
import { bucketEncryption } from './bucket-encryption'
import { removeBucketEncryption, setBucketEncryption } from './bucket-encryption-change'
import { createBucket } from './create-bucket'
import { createFolder } from './create-folder'
import { deleteObjects, planDeletion } from './delete-objects'
import { type DownloadResult, downloadObject } from './download-object'
import { objectDetails } from './object-details'
import { type ObjectStream, openObjectStream } from './read-object'
import { restoreObject } from './restore-object'
import { createShareLink } from './share-link'
import { isArchiveClass, isObsProvider, storageClassLabel } from './storage-classes'

export interface ObjectRef {
  accountId: string
  bucket: string
  key: string
  sseCustomerKeyName?: string
}

/** Resolves a KMS key id to its alias when the account's key directory knows it. */
export type KmsAliasLookup = (accountId: string, keyId: string) => Promise<string | undefined>

/** Browsing, details, downloads and share links for an account, by account id (what the IPC handlers need). */
export interface StorageService {
  buckets(accountId: string): Promise<Bucket[]>
  list(request: {
    accountId: string
    bucket: string
    prefix: string
    continuationToken?: string
    pageSize?: number
  }): Promise<ObjectPage>
  details(ref: ObjectRef): Promise<ObjectDetails>
  bucketEncryption(accountId: string, bucket: string): Promise<BucketEncryption>
  download(ref: ObjectRef & { targetDir: string; overwrite?: boolean }): Promise<DownloadResult>
  /** The object's bytes as a stream, for the web UI's download to the browser. */
  open(ref: ObjectRef, signal?: AbortSignal): Promise<ObjectStream>
  share(ref: ObjectRef & { expiresInSeconds: number }): Promise<{ url: string; expiresAt: string }>
  restore(request: RestoreRequest): Promise<RestoreResult>
  deletePlan(request: BucketRef & DeleteTargets): Promise<DeletePlan>
  /** Progress goes to the `onDeleteProgress` the service was built with, tagged with `operationId`. */
  delete(request: BucketRef & DeleteTargets & { operationId: string }): Promise<DeleteResult>
  createFolder(request: BucketRef & { prefix: string; name: string }): Promise<{ key: string }>
  createBucket(request: {
    accountId: string
    name: string
    encryption?: BucketDefaultChoice
  }): Promise<CreateBucketResult>
  setBucketEncryption(
    accountId: string,
    bucket: string,
    choice: BucketDefaultChoice,
  ): Promise<BucketEncryption>
  removeBucketEncryption(accountId: string, bucket: string): Promise<BucketEncryption>
}

interface BucketRef {
  accountId: string
  bucket: string
}

export function createStorageService(deps: {
  accounts: Pick<AccountService, 'client'>
  customerKeys: Pick<CustomerKeys, 'params'>
  kmsAlias?: KmsAliasLookup
  onDeleteProgress?: (progress: DeleteProgress) => void
}): StorageService {
  async function sseC(ref: ObjectRef): Promise<SseReadParams> {
    return ref.sseCustomerKeyName ? deps.customerKeys.params(ref.accountId, ref.sseCustomerKeyName) : {}
  }

  return {
    async buckets(accountId) {
      const { account, s3 } = await deps.accounts.client(accountId)
      return listBuckets(s3, { endpoint: account.endpoint })
    },
    async list(request) {
      const { account, ...connection } = await deps.accounts.client(request.accountId)
      const page = await listObjectPage(
        connection,
        request.bucket,
        {
          prefix: request.prefix,
          delimiter: '/',
          continuationToken: request.continuationToken,
          pageSize: request.pageSize,
        },
        { endpoint: account.endpoint },
      )
      for (const object of page.objects) {
        object.storageClassLabel = storageClassLabel(account.provider, object.storageClass)
        object.archived = isArchiveClass(account.provider, object.storageClass)
      }
      return page
    },
    async details(ref) {
      const { account, s3 } = await deps.accounts.client(ref.accountId)
      const details = await objectDetails(
        s3,
        ref.bucket,
        ref.key,
        await sseC(ref),
        { endpoint: account.endpoint },
        account.provider,
      )
      const keyId = details.encryption.kmsKeyId
      if (keyId && deps.kmsAlias) {
        const alias = await deps.kmsAlias(ref.accountId, keyId).catch(() => undefined)
        if (alias) details.encryption.kmsKeyAlias = alias
      }
      return details
    },
    async bucketEncryption(accountId, bucket) {
      const { account, s3 } = await deps.accounts.client(accountId)
      return bucketEncryption(s3, bucket, { endpoint: account.endpoint })
    },
    async download(ref) {
      const { account, s3 } = await deps.accounts.client(ref.accountId)
      const params = await sseC(ref)
      const context = { endpoint: account.endpoint }
      // Refused before any byte is fetched: an archived object without a restored copy cannot be read.
      assertReadable(await objectDetails(s3, ref.bucket, ref.key, params, context, account.provider))
      return downloadObject(
        s3,
        // The one-object download keeps a file already there and saves the new one as `name (n).ext`, unless the
        // user chose to replace it (security finding #10).
        {
          bucket: ref.bucket,
          key: ref.key,
          targetDir: ref.targetDir,
          overwrite: ref.overwrite === true,
          keepBoth: true,
          sseC: params,
        },
        context,
      )
    },
    async open(ref, signal) {
      const { account, s3 } = await deps.accounts.client(ref.accountId)
      return openObjectStream(
        s3,
        ref.bucket,
        ref.key,
        await sseC(ref),
        { endpoint: account.endpoint },
        signal,
      )
    },
    async share(ref) {
      const { account, s3 } = await deps.accounts.client(ref.accountId)
      return createShareLink(
        s3,
        ref.bucket,
        ref.key,
        ref.expiresInSeconds,
        { endpoint: account.endpoint },
        account.provider,
      )
    },
    async restore(request) {
      const { account, s3 } = await deps.accounts.client(request.accountId)
      const context = { endpoint: account.endpoint }
      // Asked of the server first: an object in a class that is not an archive (Ceph RGW's COLD is a placement,
      // not an archive) has nothing to restore, and servers without restore (RGW 16) would answer 501.
      const before = await objectDetails(s3, request.bucket, request.key, {}, context, account.provider)
      if (!before.archive) {
        throw new AppError(
          'NOT_ARCHIVED',
          `"${request.key}" is stored as ${before.storageClassLabel}, not in an archive class: it can be downloaded as it is.`,
          { params: { key: request.key } },
        )
      }
      const { outcome } = await restoreObject(
        s3,
        { ...request, dialect: isObsProvider(account.provider) ? 'obs' : 's3' },
        context,
      )
      // What the server says now (HEAD), not what we hope: "restoring" or "restored until ...".
      const after = await objectDetails(s3, request.bucket, request.key, {}, context, account.provider)
      return { outcome, archive: after.archive }
    },
    async deletePlan({ accountId, bucket, keys, prefixes }) {
      const { account, ...connection } = await deps.accounts.client(accountId)
      return planDeletion(connection, bucket, { keys, prefixes }, { endpoint: account.endpoint })
    },
    async delete({ accountId, bucket, keys, prefixes, operationId }) {
      const { account, ...connection } = await deps.accounts.client(accountId)
      const report = (p: Omit<DeleteProgress, 'operationId'>) =>
        deps.onDeleteProgress?.({ operationId, ...p })
      return deleteObjects(connection, bucket, { keys, prefixes }, report, { endpoint: account.endpoint })
    },
    async createFolder({ accountId, bucket, prefix, name }) {
      const { account, ...connection } = await deps.accounts.client(accountId)
      return createFolder(connection, bucket, prefix, name, { endpoint: account.endpoint })
    },
    async createBucket({ accountId, name, encryption }) {
      const { account, s3 } = await deps.accounts.client(accountId)
      const context = { endpoint: account.endpoint }
      // Refused before the bucket exists, rather than a bucket without the default the user asked for.
      if (encryption && !PROVIDER_PRESETS[account.provider].bucketEncryption.set) {
        await setBucketEncryption(s3, account, name, encryption, context)
      }
      const created = await createBucket(s3, account, name, context)
      if (!encryption) return created
      try {
        return { ...created, encryption: await setBucketEncryption(s3, account, name, encryption, context) }
      } catch (error) {
        return { ...created, encryptionError: toIpcError(error) }
      }
    },
    async setBucketEncryption(accountId, bucket, choice) {
      const { account, s3 } = await deps.accounts.client(accountId)
      return setBucketEncryption(s3, account, bucket, choice, { endpoint: account.endpoint })
    },
    async removeBucketEncryption(accountId, bucket) {
      const { account, s3 } = await deps.accounts.client(accountId)
      return removeBucketEncryption(s3, account, bucket, { endpoint: account.endpoint })
    },
  }
}
