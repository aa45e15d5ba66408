import { describe, expect, it } from 'vitest'
import { findAccount } from '../../main/core/accounts/find-account'
import { presetInfos } from '../../main/core/accounts/preset-info'
import { withPresetDefaults } from '../../main/core/accounts/providers'
import { assertKmsKeyChosen, sseKmsNeedsKeyId } from '../../main/core/encryption/kms-key-required'
import { encryptionFor } from '../../main/core/queue/enqueue-files'
import { transientPair } from '../../main/core/sync/transient-pair'
import { bucketDefaultChoice } from '../../preload/contract/bucket-default'
import { fillRegion } from '../../preload/contract/endpoint-template'
import { kmsHeaderIdFor, kmsKeyMatches } from '../../preload/contract/kms-key-reference'
import type { Account, KmsKey } from '../../preload/contract/models'
import {
  DEFAULT_MIRROR_DELETE_CAP_PERCENT,
  deleteCapSchema,
  transientSyncSchema,
} from '../../preload/contract/sync-models'
import { normalizePrefix } from '../../preload/contract/target-prefix'

// Each decision the CLI and the GUI both make, asked of the one function that makes it.

/** A folder to sync, as `obs-sync sync` and the folder form both describe it. */
const folder = { localPath: '/tmp/x', accountId: 'a', bucket: 'b' }

describe('target prefix', () => {
  it('is stored without a leading slash and with one trailing slash; empty is the top level', () => {
    const typed = ['a', '/a//', '//a/b', 'a/b/', '', '///']
    expect(typed.map((prefix) => normalizePrefix(prefix))).toEqual(['a/', 'a/', 'a/b/', 'a/b/', '', ''])
  })

  it('a CLI sync of "/photos" and of "photos/" is the same folder with the same stored prefix', () => {
    const input = { ...folder, encryption: undefined, mode: 'upload-only' as const }
    const one = transientPair({ ...input, prefix: '/photos' })
    expect(one.prefix).toBe('photos/')
    expect(transientPair({ ...input, prefix: 'photos/' }).prefix).toBe('photos/')
  })
})

describe('mirror delete cap', () => {
  it('one default for the folder form and `obs-sync sync --mirror`', () => {
    expect(DEFAULT_MIRROR_DELETE_CAP_PERCENT).toBe(10)
    const parsed = transientSyncSchema.parse({ ...folder, prefix: '', mode: 'mirror' })
    expect(parsed.mirrorDeleteCapPercent).toBe(10)
  })

  it('is a whole number from 0 to 100: NaN (what "abc" became), 12.5, 150 and -1 are refused', () => {
    for (const ok of [0, 10, 100]) expect(deleteCapSchema.safeParse(ok).success).toBe(true)
    for (const bad of [Number.NaN, 12.5, 150, -1, '10']) {
      const result = deleteCapSchema.safeParse(bad)
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.message).toBe(
        'the mirror delete cap must be a whole number from 0 to 100',
      )
    }
  })
})

describe("bucket default -> an upload's encryption", () => {
  it('takes SSE-KMS with its key, SSE-OBS, and none when there is no default or it cannot be known', () => {
    expect(bucketDefaultChoice({ state: 'set', encryption: { mode: 'sse-kms', kmsKeyId: 'k1' } })).toEqual({
      mode: 'sse-kms',
      keyId: 'k1',
    })
    expect(bucketDefaultChoice({ state: 'set', encryption: { mode: 'sse-kms' } })).toEqual({
      mode: 'sse-kms',
    })
    expect(bucketDefaultChoice({ state: 'set', encryption: { mode: 'sse-obs' } })).toEqual({
      mode: 'sse-obs',
    })
    expect(bucketDefaultChoice({ state: 'none' })).toEqual({ mode: 'none' })
    expect(bucketDefaultChoice({ state: 'unknown', reason: 'RGW cannot say.' })).toEqual({ mode: 'none' })
    expect(bucketDefaultChoice(undefined)).toEqual({ mode: 'none' })
  })
})

// A Huawei OBS account's listing: the default key (sent as no id) and a key with an alias, whose header id is
// OBS's region:domainId:key/keyId form (huawei-directory.ts).
const keys: KmsKey[] = [
  {
    id: 'obs/default',
    headerId: '',
    alias: 'obs/default',
    state: 'enabled',
    isDefault: true,
    origin: 'listed',
  },
  {
    id: '0d0466b0-e727-4d9c-b35d-f84bb474a37f',
    headerId: 'eu-de:0a4f1a2b3c:key/0d0466b0-e727-4d9c-b35d-f84bb474a37f',
    alias: 'backups',
    state: 'enabled',
    isDefault: false,
    origin: 'listed',
  },
]
const obsHeader = 'eu-de:0a4f1a2b3c:key/0d0466b0-e727-4d9c-b35d-f84bb474a37f'

describe('KMS key reference -> SSE-KMS header id', () => {
  it('an alias, alias/<alias>, a bare id or the full form of a listed key: its header id', () => {
    expect(kmsHeaderIdFor('backups', keys)).toBe(obsHeader)
    expect(kmsHeaderIdFor('alias/backups', keys)).toBe(obsHeader)
    expect(kmsHeaderIdFor('0d0466b0-e727-4d9c-b35d-f84bb474a37f', keys)).toBe(obsHeader)
    expect(kmsHeaderIdFor(obsHeader, keys)).toBe(obsHeader)
  })

  it("the provider's default key is sent as no key id", () => {
    expect(kmsHeaderIdFor('obs/default', keys)).toBeUndefined()
  })

  it('a key the listing does not have (an ARN, a typed id) goes out as written', () => {
    const arn = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
    expect(kmsHeaderIdFor(arn, keys)).toBe(arn)
    expect(kmsHeaderIdFor('typed-key', [])).toBe('typed-key')
  })

  it('names the key of an object from the id the server reports', () => {
    const key = keys[1] as KmsKey
    expect(kmsKeyMatches(key, obsHeader)).toBe(true)
    expect(kmsKeyMatches(key, 'arn:aws:kms:eu-de:1:key/0d0466b0-e727-4d9c-b35d-f84bb474a37f')).toBe(true)
    expect(kmsKeyMatches(key, 'another')).toBe(false)
  })

  it("the upload queue sends the CLI's --kms-key alias as the header id the GUI's picker sends", async () => {
    const target = { accountId: 'a', bucket: 'b', endpoint: 'https://obs.eu-de.otc.t-systems.com' }
    const asked: string[] = []
    const sources = {
      bucketDefault: async () => undefined,
      kmsKeys: async (accountId: string) => {
        asked.push(accountId)
        return keys
      },
    }
    const byAlias = await encryptionFor(sources, target, { mode: 'sse-kms', keyId: 'backups' })
    expect(byAlias.choice).toEqual({ mode: 'sse-kms', keyId: obsHeader })
    expect((await encryptionFor(sources, target, { mode: 'sse-kms', keyId: 'obs/default' })).choice).toEqual({
      mode: 'sse-kms',
    })
    // Already in the header's form: sent as it is, without listing the keys.
    asked.length = 0
    const full = await encryptionFor(sources, target, { mode: 'sse-kms', keyId: obsHeader })
    expect(full.choice).toEqual({ mode: 'sse-kms', keyId: obsHeader })
    expect(asked).toEqual([])
    // A listing that fails (no KMS permission) leaves the key as the user wrote it.
    const failing = { ...sources, kmsKeys: async () => Promise.reject(new Error('403')) }
    const unlisted = await encryptionFor(failing, target, { mode: 'sse-kms', keyId: 'backups' })
    expect(unlisted.choice).toEqual({ mode: 'sse-kms', keyId: 'backups' })
  })
})

describe('provider presets', () => {
  it('fill the endpoint template with the region', () => {
    expect(fillRegion('https://obs.{region}.myhuaweicloud.com', 'eu-west-101')).toBe(
      'https://obs.eu-west-101.myhuaweicloud.com',
    )
    expect(fillRegion(undefined, 'x')).toBe('')
  })

  it('fill region, endpoint and addressing left out; what is given is kept', () => {
    const base = { name: 'n', provider: 'huawei-obs' as const, accessKeyId: 'AK' }
    expect(withPresetDefaults(base)).toMatchObject({
      region: 'cn-north-4',
      endpoint: 'https://obs.cn-north-4.myhuaweicloud.com',
      addressing: 'virtual-hosted',
    })
    expect(withPresetDefaults({ ...base, region: 'eu-west-101' }).endpoint).toBe(
      'https://obs.eu-west-101.myhuaweicloud.com',
    )
    expect(withPresetDefaults({ ...base, endpoint: 'https://e.example', addressing: 'path' })).toMatchObject({
      endpoint: 'https://e.example',
      addressing: 'path',
    })
  })

  it('a self-hosted server without an endpoint is a usage error, worded for every shell (no CLI option named)', () => {
    expect(() => withPresetDefaults({ name: 'n', provider: 'custom-s3', accessKeyId: 'AK' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'An endpoint is required for Other S3-compatible storage.',
      }),
    )
  })
})

describe('SSE-KMS needs a key id: one decision in core, sent to the forms with the presets', () => {
  it('only where the provider has no default key (OBS obs/default, AWS aws/s3 have one)', () => {
    const needing = presetInfos().filter((p) => p.sseKmsNeedsKeyId)
    expect(needing.map((p) => p.id).sort()).toEqual(['ceph-rgw', 'custom-s3', 'minio'])
    for (const info of presetInfos()) expect(info.sseKmsNeedsKeyId).toBe(sseKmsNeedsKeyId(info.id))
  })

  it('refuses SSE-KMS without a key id there, before anything is queued; a key id or a default key passes', () => {
    expect(() => assertKmsKeyChosen({ mode: 'sse-kms' }, { provider: 'ceph-rgw' })).toThrow(
      expect.objectContaining({ code: 'KMS_KEY_REQUIRED' }),
    )
    expect(() => assertKmsKeyChosen({ mode: 'sse-kms', keyId: 'k1' }, { provider: 'ceph-rgw' })).not.toThrow()
    expect(() => assertKmsKeyChosen({ mode: 'sse-kms' }, { provider: 'otc-obs' })).not.toThrow()
    expect(() => assertKmsKeyChosen({ mode: 'sse-kms' }, { provider: 'aws-s3' })).not.toThrow()
  })
})

describe('account lookup', () => {
  const account = (id: string, name: string): Account => ({
    id,
    name,
    provider: 'custom-s3',
    endpoint: 'https://s3.example',
    region: 'us-east-1',
    addressing: 'path',
    accessKeyId: 'AK',
  })
  const two = [account('id-1', 'work'), account('id-2', 'home')]

  it('by name or by id; the only account when none is named', () => {
    expect(findAccount(two, 'home').id).toBe('id-2')
    expect(findAccount(two, 'id-1').name).toBe('work')
    expect(findAccount([account('id-3', 'only')], undefined).id).toBe('id-3')
  })

  it('an unknown name, no account, or several without a name: an error that says what to do', () => {
    expect(() => findAccount(two, 'nope')).toThrow(expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND' }))
    expect(() => findAccount([], undefined)).toThrow(/No account yet/)
    expect(() => findAccount(two, undefined)).toThrow(/--account/)
  })
})
