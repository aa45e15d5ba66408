import { describe, expect, it } from 'vitest'
import { createKmsDirectory } from '../../main/core/kms/create-kms-directory'
import { listKeysForPicker } from '../../main/core/kms/picker-listing'
import type { Account } from '../../preload/contract/models'
import { appErrorOf } from '../support/app-error'
import { type AwsFixtureKey, startAwsKmsServer } from '../support/fixtures/aws-kms-server'
import { fakeKmsPerDescribe } from './kms-fixture'

const REGION = 'eu-central-1'
const ACCOUNT_ID = '111122223333'
const arn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${id}`
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const owner = { accessKeyId: 'AKIAOWNER0000000001', secretAccessKey: secret }

const KEYS: AwsFixtureKey[] = [
  {
    KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    KeyState: 'Enabled',
    Description: 'Photos',
    aliases: ['alias/photos'],
  },
  {
    KeyId: '0987dcba-09fe-87dc-65ba-ab0987654321',
    KeyState: 'Disabled',
    aliases: ['alias/archive', 'alias/zz-second-name'],
  },
  {
    KeyId: '1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d',
    KeyState: 'PendingDeletion',
    aliases: ['alias/old-backups'],
  },
  { KeyId: 'aaaa1111-2222-3333-4444-555566667777', KeyState: 'PendingImport', aliases: ['alias/byok'] },
  { KeyId: 'bbbb1111-2222-3333-4444-555566667777', KeyState: 'Enabled' },
  {
    KeyId: 'cccc1111-2222-3333-4444-555566667777',
    KeyState: 'Enabled',
    KeyManager: 'AWS',
    aliases: ['alias/aws/s3'],
  },
  {
    KeyId: 'dddd1111-2222-3333-4444-555566667777',
    KeyState: 'Enabled',
    KeyManager: 'AWS',
    aliases: ['alias/aws/ebs'],
  },
  {
    KeyId: 'eeee1111-2222-3333-4444-555566667777',
    KeyState: 'Enabled',
    KeyUsage: 'SIGN_VERIFY',
    KeySpec: 'RSA_2048',
    aliases: ['alias/signing'],
  },
]

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-aws',
    name: 'AWS',
    provider: 'aws-s3',
    endpoint: `https://s3.${REGION}.amazonaws.com`,
    region: REGION,
    addressing: 'virtual-hosted',
    accessKeyId: owner.accessKeyId,
    ...overrides,
  }
}

describe('AWS KMS key directory', () => {
  const kms = fakeKmsPerDescribe(() =>
    startAwsKmsServer({
      region: REGION,
      accountId: ACCOUNT_ID,
      keys: KEYS,
      unattachedAliases: ['alias/aws/dynamodb'],
      users: [
        owner,
        { accessKeyId: 'AKIANOLISTKEYS00001', denied: ['ListKeys'] },
        { accessKeyId: 'AKIANOALIASES000001', denied: ['ListAliases'] },
        { accessKeyId: 'AKIANODESCRIBE00001', denied: ['DescribeKey'] },
      ],
    }),
  )

  it('pages through aliases and keys, maps states, puts aws/s3 first and uses ARNs as header ids', async () => {
    kms.server.requests.length = 0
    const keys = await createKmsDirectory(account(), owner, kms.options).listKeys()

    const calls = kms.server.requests.map((r) => r.operation)
    expect(calls.filter((op) => op === 'ListAliases')).toHaveLength(5) // 9 aliases in pages of 2
    expect(calls.filter((op) => op === 'ListKeys')).toHaveLength(4) // 8 keys in pages of 2
    // DescribeKey for all but aws/ebs (another service's key, known from its alias without asking).
    expect(calls.filter((op) => op === 'DescribeKey')).toHaveLength(7)
    expect(kms.server.requests.every((r) => r.status === 200)).toBe(true)

    expect(keys.map((k) => [k.alias ?? k.id, k.state])).toEqual([
      ['aws/s3', 'enabled'],
      ['archive', 'disabled'],
      ['bbbb1111-2222-3333-4444-555566667777', 'enabled'],
      ['byok', 'pending-import'],
      ['old-backups', 'pending-deletion'],
      ['photos', 'enabled'],
    ])
    expect(keys[0]).toMatchObject({
      id: 'cccc1111-2222-3333-4444-555566667777',
      headerId: '',
      isDefault: true,
    })
    expect(keys.find((k) => k.alias === 'photos')).toEqual({
      id: '1234abcd-12ab-34cd-56ef-1234567890ab',
      headerId: arn('1234abcd-12ab-34cd-56ef-1234567890ab'),
      alias: 'photos',
      description: 'Photos',
      state: 'enabled',
      isDefault: false,
      origin: 'listed',
    })
  })

  it('synthesises aws/s3 when S3 has not created it yet (alias without a target key)', async () => {
    const fresh = await startAwsKmsServer({
      region: REGION,
      accountId: ACCOUNT_ID,
      users: [owner],
      keys: [KEYS[0] as AwsFixtureKey],
      unattachedAliases: ['alias/aws/s3'],
    })
    try {
      const keys = await createKmsDirectory(account(), owner, {
        ...kms.options,
        endpointOverride: fresh.endpoint,
      }).listKeys()
      expect(keys.map((k) => [k.id, k.headerId, k.isDefault])).toEqual([
        ['aws/s3', '', true],
        ['1234abcd-12ab-34cd-56ef-1234567890ab', arn('1234abcd-12ab-34cd-56ef-1234567890ab'), false],
      ])
    } finally {
      await fresh.close()
    }
  })

  it.each([
    ['AKIANOLISTKEYS00001', 'kms:ListKeys'],
    ['AKIANOALIASES000001', 'kms:ListAliases'],
    ['AKIANODESCRIBE00001', 'kms:DescribeKey'],
  ])(
    'names the refused permission for %s (%s) and the picker still offers manual entry',
    async (accessKeyId, permission) => {
      const denied = account({ accessKeyId, manualKmsKeyIds: ['alias/typed-by-hand'] })
      const credentials = { accessKeyId, secretAccessKey: secret }
      const error = await appErrorOf(createKmsDirectory(denied, credentials, kms.options).listKeys())
      expect(error.code).toBe('KMS_PERMISSION_MISSING')
      expect(error.message).toContain(permission)
      expect(error.message).toMatch(/type a key id by hand/)

      const listing = await listKeysForPicker(denied, () =>
        createKmsDirectory(denied, credentials, kms.options),
      )
      expect(listing.listingError?.code).toBe('KMS_PERMISSION_MISSING')
      expect(listing.keys.map((k) => [k.id, k.headerId, k.origin])).toEqual([
        ['aws/s3', '', 'listed'],
        ['alias/typed-by-hand', 'alias/typed-by-hand', 'manual'],
      ])
    },
  )

  it('reports an unknown access key as BAD_CREDENTIALS', async () => {
    const error = await appErrorOf(
      createKmsDirectory(
        account(),
        { accessKeyId: 'AKIAUNKNOWN00000001', secretAccessKey: secret },
        kms.options,
      ).listKeys(),
    )
    expect(error.code).toBe('BAD_CREDENTIALS')
  })

  it('refuses an unverifiable certificate (TLS_FAILURE) and reports a closed port as ENDPOINT_UNREACHABLE', async () => {
    const tls = await appErrorOf(
      createKmsDirectory(account(), owner, { ...kms.options, caFile: undefined }).listKeys(),
    )
    expect(tls.code).toBe('TLS_FAILURE')

    const gone = await startAwsKmsServer({ region: REGION, accountId: ACCOUNT_ID, users: [owner], keys: [] })
    await gone.close()
    const unreachable = await appErrorOf(
      createKmsDirectory(account(), owner, { ...kms.options, endpointOverride: gone.endpoint }).listKeys(),
    )
    expect(unreachable.code).toBe('ENDPOINT_UNREACHABLE')
  })
})
