import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SecretStore } from '../../main/core/credentials/secret-store'
import { AppError } from '../../main/core/errors'
import { createKmsPickerSource } from '../../main/core/kms/picker-source'
import type { Account } from '../../preload/contract/models'
import { type HuaweiKmsServer, huaweiKey, startHuaweiKmsServer } from '../support/fixtures/huawei-kms-server'
import { testCaFile } from '../support/fixtures/tls'

const PROJECT = '0123456789abcdef0123456789abcdef'
const owner = { accessKeyId: 'HWPICKERAK00000001', secretAccessKey: 'picker-secret-0123456789abcdefghijkl' }

const account: Account = {
  id: 'acc-hw',
  name: 'Huawei Cloud',
  provider: 'huawei-obs',
  endpoint: 'https://obs.cn-north-4.myhuaweicloud.com',
  region: 'cn-north-4',
  addressing: 'virtual-hosted',
  accessKeyId: owner.accessKeyId,
  projectId: PROJECT,
  manualKmsKeyIds: ['typed-key'],
}

function secrets(entries: Record<string, string>): SecretStore {
  return {
    get: async (key) => entries[key] ?? null,
    set: async () => {},
    delete: async () => false,
    keys: async () => Object.keys(entries),
  }
}

const accounts = {
  get: async (id: string) => {
    if (id !== account.id) throw new AppError('ACCOUNT_NOT_FOUND', `No account ${id}.`)
    return account
  },
}

describe('key picker source (account id -> listing)', () => {
  let server: HuaweiKmsServer
  beforeAll(async () => {
    server = await startHuaweiKmsServer({
      projectId: PROJECT,
      users: [owner],
      keys: [
        huaweiKey({
          key_id: '0d0466b0-e727-4d9c-b35d-f84bb474a37f',
          key_alias: 'photos',
          realm: 'cn-north-4',
        }),
      ],
    })
  })
  afterAll(() => server.close())

  const options = () => ({ endpointOverride: server.endpoint, caFile: testCaFile })

  it('resolves the secret from the keychain and lists the keys', async () => {
    const source = createKmsPickerSource({
      accounts,
      secrets: secrets({ 'acc-hw/secret-access-key': owner.secretAccessKey }),
      env: {},
      options: options(),
    })
    const listing = await source.listing('acc-hw')
    expect(listing.listingError).toBeUndefined()
    expect(listing.keys.map((k) => k.alias ?? k.id)).toEqual(['obs/default', 'photos', 'typed-key'])
    expect(listing.consoleUrl).toBe(
      'https://console.huaweicloud.com/dew/?region=cn-north-4#/dew/kms/keyList/customKey',
    )
  })

  it('turns a missing secret into a listing error and still offers manual entry', async () => {
    const source = createKmsPickerSource({ accounts, secrets: secrets({}), env: {}, options: options() })
    const listing = await source.listing('acc-hw')
    expect(listing.listingError?.code).toBe('CREDENTIALS_MISSING')
    expect(listing.keys.map((k) => k.id)).toEqual(['obs/default', 'typed-key'])
  })

  it('fails the call for an unknown account', async () => {
    const source = createKmsPickerSource({ accounts, secrets: secrets({}), env: {} })
    await expect(source.listing('nope')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' })
  })
})
