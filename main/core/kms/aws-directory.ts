import type { KeyListEntry, KeyMetadata, KMSClient } from '@aws-sdk/client-kms'
import type { KmsKey, KmsKeyState } from '../../../preload/contract/models'
import { onceUntilFailure } from '../once-until-failure'
import { kmsSdk } from '../sdk'
import { type AwsKmsOperation, awsKmsError } from './aws-errors'
import { defaultKeyEntry, orderKeys } from './key-list'
import type { KmsDirectory } from './kms-directory'

/** The alias of the AWS managed key S3 uses for SSE-KMS without a key id. */
const S3_DEFAULT_ALIAS = 'alias/aws/s3'
/** Other AWS managed keys (aws/ebs, aws/rds...) are usable only through their own service. */
const AWS_MANAGED_PREFIX = 'alias/aws/'
/** DescribeKey calls in flight at once: fast enough for hundreds of keys, gentle on the request quota. */
const DESCRIBE_CONCURRENCY = 8

/** https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html */
const STATES: Record<string, KmsKeyState> = {
  Enabled: 'enabled',
  Disabled: 'disabled',
  PendingDeletion: 'pending-deletion',
  PendingReplicaDeletion: 'pending-deletion',
  PendingImport: 'pending-import',
  Creating: 'pending-activation',
}

export interface AwsDirectoryParams {
  /** Built lazily: reading the CA file is asynchronous. */
  client: () => Promise<KMSClient>
  endpoint: string
  pageSize: number
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

function displayAlias(aliasName: string | undefined): string | undefined {
  return aliasName?.replace(/^alias\//, '')
}

/**
 * S3 can use symmetric encryption keys only, so signing, HMAC and asymmetric keys are left out, as are other
 * services' AWS managed keys. A key whose DescribeKey was refused (a key policy may deny it even when listing
 * is allowed) stays, with state 'unknown': the user may still be allowed to encrypt with it.
 */
function toKmsKey(
  entry: KeyListEntry,
  alias: string | undefined,
  meta: KeyMetadata | undefined,
): KmsKey | undefined {
  const isDefault = alias === S3_DEFAULT_ALIAS
  if (!isDefault && alias?.startsWith(AWS_MANAGED_PREFIX)) return undefined
  if (meta?.KeyUsage && meta.KeyUsage !== 'ENCRYPT_DECRYPT') return undefined
  if (meta?.KeySpec && meta.KeySpec !== 'SYMMETRIC_DEFAULT') return undefined
  if (!isDefault && meta?.KeyManager === 'AWS') return undefined
  const state: KmsKeyState = meta?.KeyState
    ? (STATES[meta.KeyState] ?? 'unknown')
    : meta?.Enabled !== undefined
      ? meta.Enabled
        ? 'enabled'
        : 'disabled'
      : 'unknown'
  return {
    id: entry.KeyId ?? '',
    headerId: isDefault ? '' : (entry.KeyArn ?? entry.KeyId ?? ''),
    alias: displayAlias(alias),
    description: meta?.Description || undefined,
    state,
    isDefault,
    origin: 'listed',
  }
}

/**
 * AWS KMS: ListAliases and ListKeys (both paged by Marker / NextMarker / Truncated), then DescribeKey per key for
 * its state. ListKeys returns ids only, ListAliases names only; aliases without TargetKeyId are AWS's
 * predefined ones not yet backed by a key, which is how alias/aws/s3 looks before S3's first SSE-KMS upload.
 * The header id is the key ARN (unambiguous across accounts and regions); the default key sends none.
 */
export function createAwsKmsDirectory(params: AwsDirectoryParams): KmsDirectory {
  async function call<T>(operation: AwsKmsOperation, send: () => Promise<T>): Promise<T> {
    try {
      return await send()
    } catch (error) {
      throw awsKmsError(error, operation, params.endpoint)
    }
  }

  /** Every page of a listing paged by Marker / NextMarker / Truncated. */
  async function allPages<P extends { Truncated?: boolean; NextMarker?: string }>(
    operation: AwsKmsOperation,
    send: (marker: string | undefined) => Promise<P>,
  ): Promise<P[]> {
    const pages: P[] = []
    let marker: string | undefined
    do {
      const page = await call(operation, () => send(marker))
      pages.push(page)
      marker = page.Truncated ? page.NextMarker : undefined
    } while (marker)
    return pages
  }

  /**
   * A key's metadata, or why there is none: refused by a key policy (the key stays, state unknown) or deleted
   * since ListKeys (the key is dropped). Anything else fails the listing.
   */
  async function keyMetadata(
    client: KMSClient,
    keyId: string | undefined,
  ): Promise<KeyMetadata | 'denied' | 'gone'> {
    try {
      const answer = await client.send(new (await kmsSdk()).DescribeKeyCommand({ KeyId: keyId }))
      return answer.KeyMetadata ?? 'gone'
    } catch (error) {
      const name = (error as { name?: string }).name
      if (name === 'NotFoundException') return 'gone'
      const appError = awsKmsError(error, 'DescribeKey', params.endpoint)
      if (appError.code === 'KMS_PERMISSION_MISSING') return 'denied'
      throw appError
    }
  }

  // One client (and so one keep-alive pool) per directory.
  const openClient = onceUntilFailure(params.client)

  return {
    async listKeys() {
      const kms = await openClient()
      const { ListAliasesCommand, ListKeysCommand } = await kmsSdk()
      // The largest pages each call accepts: ListAliases 100, ListKeys 1000.
      const aliases = (
        await allPages('ListAliases', (Marker) =>
          kms.send(new ListAliasesCommand({ Limit: Math.min(params.pageSize, 100), Marker })),
        )
      ).flatMap((page) => page.Aliases ?? [])
      const entries = (
        await allPages('ListKeys', (Marker) =>
          kms.send(new ListKeysCommand({ Limit: Math.min(params.pageSize, 1000), Marker })),
        )
      ).flatMap((page) => page.Keys ?? [])
      const aliasOf = new Map<string, string>()
      for (const a of [...aliases].sort((x, y) => (x.AliasName ?? '').localeCompare(y.AliasName ?? ''))) {
        if (a.TargetKeyId && a.AliasName && !aliasOf.has(a.TargetKeyId))
          aliasOf.set(a.TargetKeyId, a.AliasName)
      }
      const wanted = entries.filter((e) => {
        const alias = aliasOf.get(e.KeyId ?? '')
        return alias === S3_DEFAULT_ALIAS || !alias?.startsWith(AWS_MANAGED_PREFIX)
      })
      const metas = await mapLimit(wanted, DESCRIBE_CONCURRENCY, (e) => keyMetadata(kms, e.KeyId))
      // Refused for some keys: their state is unknown. Refused for every key: the permission itself is missing.
      if (wanted.length > 0 && metas.every((m) => m === 'denied')) {
        throw awsKmsError(
          Object.assign(new Error('DescribeKey was refused for every key.'), {
            name: 'AccessDeniedException',
          }),
          'DescribeKey',
          params.endpoint,
        )
      }
      const keys = wanted.flatMap((e, i) => {
        const meta = metas[i]
        if (meta === 'gone') return []
        return toKmsKey(e, aliasOf.get(e.KeyId ?? ''), meta === 'denied' ? undefined : meta) ?? []
      })
      if (!keys.some((k) => k.isDefault)) keys.push(defaultKeyEntry(displayAlias(S3_DEFAULT_ALIAS) as string))
      return orderKeys(keys)
    },
  }
}
