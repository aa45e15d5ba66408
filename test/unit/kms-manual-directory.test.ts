import { describe, expect, it } from 'vitest'
import { AppError } from '../../main/core/errors'
import { createKmsDirectory } from '../../main/core/kms/create-kms-directory'
import { mergeKeys, orderKeys } from '../../main/core/kms/key-list'
import { createManualKmsDirectory } from '../../main/core/kms/manual-directory'
import { listKeysForPicker } from '../../main/core/kms/picker-listing'
import type { Account, KmsKey } from '../../preload/contract/models'

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-minio',
    name: 'MinIO at home',
    provider: 'minio',
    endpoint: 'https://minio.local:9000',
    region: 'us-east-1',
    addressing: 'path',
    accessKeyId: 'minioadmin',
    ...overrides,
  }
}
const credentials = { accessKeyId: 'minioadmin', secretAccessKey: 'minioadmin' }

const listed = (id: string, alias?: string, isDefault = false): KmsKey => ({
  id,
  headerId: isDefault ? '' : `arn:${id}`,
  alias,
  state: 'enabled',
  isDefault,
  origin: 'listed',
})

describe('manual key directory (servers without a key-listing API)', () => {
  it('lists the typed key ids as they were typed, trimmed and without duplicates, state unknown', async () => {
    const keys = await createKmsDirectory(
      account({ manualKmsKeyIds: ['  minio-key-b ', 'minio-key-a', 'minio-key-b'] }),
      credentials,
    ).listKeys()
    expect(keys).toEqual([
      { id: 'minio-key-a', headerId: 'minio-key-a', state: 'unknown', isDefault: false, origin: 'manual' },
      { id: 'minio-key-b', headerId: 'minio-key-b', state: 'unknown', isDefault: false, origin: 'manual' },
    ])
  })

  it('has no default entry where the preset names no default key, and an empty list without typed keys', async () => {
    expect(await createKmsDirectory(account({ provider: 'ceph-rgw' }), credentials).listKeys()).toEqual([])
  })

  it('puts the provider default first where the preset names one (send no key id)', async () => {
    const keys = await createKmsDirectory(
      account({ provider: 'custom-s3', manualKmsKeyIds: ['k1'] }),
      credentials,
    ).listKeys()
    expect(keys.map((k) => k.id)).toEqual(['k1'])
    // A preset with a default alias: the picker offers "the server's default key" before the typed ones.
    const obs = await createManualKmsDirectory({ provider: 'huawei-obs', manualKmsKeyIds: ['k1'] }).listKeys()
    expect(obs.map((k) => [k.id, k.headerId, k.isDefault])).toEqual([
      ['obs/default', '', true],
      ['k1', 'k1', false],
    ])
  })

  it('answers the picker without an error and says the provider has no list', async () => {
    const listing = await listKeysForPicker(account({ manualKmsKeyIds: ['k1'] }), () =>
      createKmsDirectory(account({ manualKmsKeyIds: ['k1'] }), credentials),
    )
    expect(listing).toEqual({
      providerLists: false,
      keys: [{ id: 'k1', headerId: 'k1', state: 'unknown', isDefault: false, origin: 'manual' }],
    })
  })
})

describe('key picker listing', () => {
  it('reports a directory that cannot be opened (no secret in the keychain) and still offers manual entry', async () => {
    const aws = account({ provider: 'aws-s3', region: 'eu-west-1', manualKmsKeyIds: ['alias/mine'] })
    const listing = await listKeysForPicker(aws, async () => {
      throw new AppError('CREDENTIALS_MISSING', 'No secret key is stored for account "AWS".')
    })
    expect(listing.listingError).toEqual({
      code: 'CREDENTIALS_MISSING',
      message: 'No secret key is stored for account "AWS".',
    })
    expect(listing.providerLists).toBe(true)
    expect(listing.consoleUrl).toBe(
      'https://eu-west-1.console.aws.amazon.com/kms/home?region=eu-west-1#/kms/keys/create',
    )
    expect(listing.keys.map((k) => k.id)).toEqual(['aws/s3', 'alias/mine'])
  })

  it('hides the details of unexpected failures (INTERNAL)', async () => {
    const listing = await listKeysForPicker(account(), () => ({
      listKeys: async () => {
        throw new Error('secret-bearing internal detail')
      },
    }))
    expect(listing.listingError?.code).toBe('INTERNAL')
    expect(listing.listingError?.message).not.toContain('secret')
  })

  it('orders default first, then by alias or id, case-insensitively', () => {
    const keys = orderKeys([
      listed('3', 'beta'),
      listed('z-id'),
      listed('1', 'Alpha'),
      listed('d', 'aws/s3', true),
    ])
    expect(keys.map((k) => k.alias ?? k.id)).toEqual(['aws/s3', 'Alpha', 'beta', 'z-id'])
  })

  it('drops typed keys naming a listed key by id, header id or alias', () => {
    const manual = (id: string): KmsKey => ({
      id,
      headerId: id,
      state: 'unknown',
      isDefault: false,
      origin: 'manual',
    })
    const merged = mergeKeys(
      [listed('d', 'aws/s3', true), listed('k1', 'photos')],
      ['k1', 'arn:k1', 'photos', 'alias/photos', 'aws/s3', 'alias/aws/s3', 'new'].map(manual),
    )
    expect(merged.map((k) => [k.id, k.origin])).toEqual([
      ['d', 'listed'],
      ['new', 'manual'],
      ['k1', 'listed'],
    ])
  })
})
