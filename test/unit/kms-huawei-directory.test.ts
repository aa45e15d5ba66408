import { describe, expect, it } from 'vitest'
import { PROVIDER_PRESETS } from '../../main/core/accounts/providers'
import { createKmsDirectory } from '../../main/core/kms/create-kms-directory'
import { huaweiKmsEndpoint } from '../../main/core/kms/huawei-endpoint'
import { listKeysForPicker } from '../../main/core/kms/picker-listing'
import type { Account } from '../../preload/contract/models'
import { appErrorOf } from '../support/app-error'
import { HUAWEI_DOMAIN_ID, huaweiKey, startHuaweiKmsServer } from '../support/fixtures/huawei-kms-server'
import { account as otcAccount } from './account-fixture'
import { fakeKmsPerDescribe } from './kms-fixture'

const PROJECT = '05a1b2c3d4e5f60718293a4b5c6d7e8f'
const owner = { accessKeyId: 'HWOWNERAK0000000001', secretAccessKey: 'owner-secret-key-0123456789abcdefghij' }
const noList = { accessKeyId: 'HWNOLISTAK000000002', secretAccessKey: 'nolist-secret-key-0123456789abcdefgh' }

const KEYS = {
  photos: '0d0466b0-e727-4d9c-b35d-f84bb474a37f',
  archive: '2e258389-bb1e-4568-a1d5-e1f50adf70ea',
  old: '3f369490-cc2f-4679-b2e6-f2a61bef81fb',
  fresh: '4a47a5a1-dd30-478a-83f7-a3b72cf092ac',
  imported: '5b58b6b2-ee41-489b-94a8-b4c83da1a3bd',
  obsDefault: '6c69c7c3-ff52-49ac-a5b9-c5d94eb2b4ce',
  evsDefault: '7d7ad8d4-0063-4abd-b6ca-d6ea5fc3c5df',
}

/** The OTC account of the KMS owner, in the project the fake KMS serves. */
const account = (overrides: Partial<Account> = {}): Account =>
  otcAccount({ name: 'OTC production', accessKeyId: owner.accessKeyId, projectId: PROJECT, ...overrides })

describe('Huawei Cloud / OTC KMS key directory', () => {
  const kms = fakeKmsPerDescribe(() =>
    startHuaweiKmsServer({
      projectId: PROJECT,
      users: [owner, { ...noList, denied: true }],
      keys: [
        // key_state '2' (enabled) is huaweiKey's default
        huaweiKey({ key_id: KEYS.photos, key_alias: 'photos', key_description: 'Family photos' }),
        huaweiKey({ key_id: KEYS.archive, key_alias: 'archive', key_state: '3' }),
        huaweiKey({ key_id: KEYS.evsDefault, key_alias: 'evs/default', default_key_flag: '1' }),
        huaweiKey({
          key_id: KEYS.old,
          key_alias: 'old-backups',
          key_state: '4',
          scheduled_deletion_date: '1502799822000',
        }),
        huaweiKey({ key_id: KEYS.fresh, key_alias: 'fresh', key_state: '1' }),
        huaweiKey({ key_id: KEYS.obsDefault, key_alias: 'obs/default', default_key_flag: '1' }),
        huaweiKey({ key_id: KEYS.imported, key_alias: 'byok', key_state: '5', origin: 'external' }),
      ],
    }),
  )

  it('lists every page, maps states, puts obs/default first and builds OBS header ids', async () => {
    kms.server.requests.length = 0
    const keys = await createKmsDirectory(account(), owner, kms.options).listKeys()

    // 7 keys in pages of 2: four signed requests, following next_marker as a start position.
    expect(kms.server.requests.map((r) => [r.status, r.body])).toEqual([
      [200, { limit: '2' }],
      [200, { limit: '2', marker: '2' }],
      [200, { limit: '2', marker: '4' }],
      [200, { limit: '2', marker: '6' }],
    ])
    expect(keys.map((k) => [k.alias, k.state])).toEqual([
      ['obs/default', 'enabled'],
      ['archive', 'disabled'],
      ['byok', 'pending-import'],
      ['fresh', 'pending-activation'],
      ['old-backups', 'pending-deletion'],
      ['photos', 'enabled'],
    ])
    expect(keys[0]).toEqual({
      id: KEYS.obsDefault,
      headerId: '',
      alias: 'obs/default',
      state: 'enabled',
      isDefault: true,
      origin: 'listed',
    })
    expect(keys.find((k) => k.alias === 'photos')).toEqual({
      id: KEYS.photos,
      headerId: `eu-de:${HUAWEI_DOMAIN_ID}:key/${KEYS.photos}`,
      alias: 'photos',
      description: 'Family photos',
      state: 'enabled',
      isDefault: false,
      origin: 'listed',
    })
    expect(keys.some((k) => k.alias === 'evs/default')).toBe(false)
  })

  it('synthesises obs/default when OBS has not created it yet', async () => {
    const empty = await startHuaweiKmsServer({ projectId: PROJECT, users: [owner], keys: [] })
    try {
      const keys = await createKmsDirectory(account(), owner, {
        ...kms.options,
        endpointOverride: empty.endpoint,
      }).listKeys()
      expect(keys).toEqual([
        expect.objectContaining({ id: 'obs/default', headerId: '', isDefault: true, state: 'enabled' }),
      ])
    } finally {
      await empty.close()
    }
  })

  it('reports a wrong secret key as BAD_CREDENTIALS (the gateway answers 401 APIGW.0301)', async () => {
    const wrong = { ...owner, secretAccessKey: 'not-the-secret' }
    const error = await appErrorOf(createKmsDirectory(account(), wrong, kms.options).listKeys())
    expect(error.code).toBe('BAD_CREDENTIALS')
    expect(error.message).toMatch(/APIGW\.0301.*Check both in the account settings/)
    expect(kms.server.requests.at(-1)?.status).toBe(401)
  })

  it('reports an unknown access key as BAD_CREDENTIALS', async () => {
    const error = await appErrorOf(
      createKmsDirectory(
        account(),
        { accessKeyId: 'NOSUCHAK', secretAccessKey: 'x' },
        kms.options,
      ).listKeys(),
    )
    expect(error.code).toBe('BAD_CREDENTIALS')
  })

  it('reports a clock more than 15 minutes off as CLOCK_SKEW, not as bad credentials', async () => {
    const late = () => new Date(Date.now() - 60 * 60_000)
    const error = await appErrorOf(
      createKmsDirectory(account(), owner, { ...kms.options, now: late }).listKeys(),
    )
    expect(error.code).toBe('CLOCK_SKEW')
    expect(error.message).toMatch(/clock/)
  })

  it('names kms:cmk:list when listing is forbidden, and the picker still offers the default and typed keys', async () => {
    const denied = account({
      accessKeyId: noList.accessKeyId,
      manualKmsKeyIds: [KEYS.photos, 'eu-de:abc:key/typed'],
    })
    const error = await appErrorOf(createKmsDirectory(denied, noList, kms.options).listKeys())
    expect(error.code).toBe('KMS_PERMISSION_MISSING')
    expect(error.message).toMatch(/kms:cmk:list/)
    expect(error.message).toMatch(/type a key id by hand/)
    expect(kms.server.requests.at(-1)?.status).toBe(403)

    const listing = await listKeysForPicker(denied, () => createKmsDirectory(denied, noList, kms.options))
    expect(listing.listingError).toEqual({
      code: 'KMS_PERMISSION_MISSING',
      message: error.message,
      params: { cause: 'kmsListPermission', permission: 'kms:cmk:list' },
    })
    expect(listing.providerLists).toBe(true)
    expect(listing.consoleUrl).toBe(
      'https://console.otc.t-systems.com/dew/?region=eu-de#/kms/keyList/customKey',
    )
    expect(listing.keys.map((k) => [k.id, k.headerId, k.origin, k.state])).toEqual([
      ['obs/default', '', 'listed', 'enabled'],
      [KEYS.photos, KEYS.photos, 'manual', 'unknown'],
      ['eu-de:abc:key/typed', 'eu-de:abc:key/typed', 'manual', 'unknown'],
    ])
  })

  it('merges typed keys with listed ones, dropping those that name a listed key', async () => {
    const typed = account({
      manualKmsKeyIds: [KEYS.photos, `eu-de:${HUAWEI_DOMAIN_ID}:key/${KEYS.archive}`, 'obs/default', 'other'],
    })
    const listing = await listKeysForPicker(typed, () => createKmsDirectory(typed, owner, kms.options))
    expect(listing.listingError).toBeUndefined()
    expect(listing.keys.filter((k) => k.origin === 'manual').map((k) => k.id)).toEqual(['other'])
    expect(listing.keys[0]?.alias).toBe('obs/default')
    expect(listing.keys).toHaveLength(7)
  })

  it('asks for the project id, and where to find it, before sending anything', async () => {
    kms.server.requests.length = 0
    const error = await appErrorOf(
      createKmsDirectory(account({ projectId: undefined }), owner, kms.options).listKeys(),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(/project id of region "eu-de"/)
    expect(error.message).toMatch(/My Credentials > API Credentials/)
    expect(kms.server.requests).toHaveLength(0)
  })

  it('refuses a server certificate it cannot verify (TLS_FAILURE) unless the CA file is given', async () => {
    const error = await appErrorOf(
      createKmsDirectory(account(), owner, { ...kms.options, caFile: undefined }).listKeys(),
    )
    expect(error.code).toBe('TLS_FAILURE')
  })

  it('reports a closed port as ENDPOINT_UNREACHABLE', async () => {
    const gone = await startHuaweiKmsServer({ projectId: PROJECT, users: [owner], keys: [] })
    await gone.close()
    const error = await appErrorOf(
      createKmsDirectory(account(), owner, { ...kms.options, endpointOverride: gone.endpoint }).listKeys(),
    )
    expect(error.code).toBe('ENDPOINT_UNREACHABLE')
  })

  it('works the same over an injected fetch', async () => {
    const plain = await startHuaweiKmsServer({
      projectId: PROJECT,
      users: [owner],
      keys: [huaweiKey({ key_id: KEYS.photos, key_alias: 'photos' })],
      plainHttp: true,
    })
    try {
      const dir = createKmsDirectory(account(), owner, {
        endpointOverride: plain.endpoint,
        fetchImpl: fetch,
        pageSize: 1,
      })
      expect((await dir.listKeys()).map((k) => k.alias)).toEqual(['obs/default', 'photos'])
      const wrong = createKmsDirectory(
        account(),
        { ...owner, secretAccessKey: 'nope' },
        { endpointOverride: plain.endpoint, fetchImpl: fetch },
      )
      expect((await appErrorOf(wrong.listKeys())).code).toBe('BAD_CREDENTIALS')
    } finally {
      await plain.close()
    }
    const unreachable = createKmsDirectory(account(), owner, {
      endpointOverride: plain.endpoint,
      fetchImpl: fetch,
    })
    expect((await appErrorOf(unreachable.listKeys())).code).toBe('ENDPOINT_UNREACHABLE')
  })

  it('derives the KMS endpoint from the OBS endpoint, falling back to the preset', () => {
    const otc = PROVIDER_PRESETS['otc-obs']
    expect(huaweiKmsEndpoint({ endpoint: 'https://obs.eu-de.otc.t-systems.com', region: 'eu-de' }, otc)).toBe(
      'https://kms.eu-de.otc.t-systems.com',
    )
    expect(
      huaweiKmsEndpoint({ endpoint: 'https://obs.eu-west-101.myhuaweicloud.eu', region: 'eu-west-101' }, otc),
    ).toBe('https://kms.eu-west-101.myhuaweicloud.eu')
    expect(huaweiKmsEndpoint({ endpoint: 'https://storage.example.com', region: 'eu-nl' }, otc)).toBe(
      'https://kms.eu-nl.otc.t-systems.com',
    )
  })
})
