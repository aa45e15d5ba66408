import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createS3Client } from '../../main/core/storage/s3-client'
import { createStorageService } from '../../main/core/storage/storage-service'
import { verifyStorageClass } from '../../main/core/storage/verify-storage-class'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import type { Account, Provider } from '../../preload/contract/models'
import { type ArchiveFixture, type Dialect, startArchiveFixture } from '../support/fixtures/archive-server'
import { handlerDepsStub } from '../support/handler-deps-stub'

// Restore and archived objects against a fixture that follows S3's and OBS's documented shapes (RGW 16 has no
// archive tier); every call goes through the contract's dispatch, as the GUI and the CLI do.
let fixture: ArchiveFixture | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

async function setUp(dialect: Dialect, provider: Provider) {
  fixture = await startArchiveFixture(dialect, 'archive', {
    'cold.txt': { body: 'cold bytes', storageClass: 'GLACIER' },
    'warm.txt': { body: 'warm bytes', storageClass: 'STANDARD_IA' },
    'plain.txt': { body: 'plain', storageClass: 'STANDARD' },
  })
  const account = {
    id: 'a1',
    name: 'fixture',
    provider,
    endpoint: fixture.endpoint,
    region: 'eu-de',
    addressing: 'path',
    accessKeyId: 'AK',
  } satisfies Account
  const connection = await createS3Client(account, { accessKeyId: 'AK', secretAccessKey: 'SK' })
  const storage = createStorageService({
    accounts: { client: async () => ({ account, ...connection }) } as never,
    customerKeys: { params: async () => ({}) } as never,
  })
  const deps = handlerDepsStub({})
  const dispatch = createDispatch(createHandlers({ ...deps, storage }))
  const call = async (channel: string, ...args: unknown[]) => dispatch(channel, args)
  return { call, fixture }
}

describe.each([
  ['obs', 'otc-obs', 'Cold', 'Warm'],
  ['s3', 'aws-s3', 'Glacier Flexible Retrieval', 'Standard-IA'],
] as const)('archived objects (%s shapes)', (dialect, provider, coldLabel, warmLabel) => {
  it("lists and details each object's class with the provider's names and the restore state", async () => {
    const { call } = await setUp(dialect, provider)
    const page = await call('storage:list', { accountId: 'a1', bucket: 'archive', prefix: '' })
    expect(page).toMatchObject({ ok: true })
    const objects = (
      page as { value: { objects: { key: string; storageClassLabel: string; archived: boolean }[] } }
    ).value.objects
    expect(objects.map((o) => [o.key, o.storageClassLabel, o.archived])).toEqual([
      ['cold.txt', coldLabel, true],
      ['warm.txt', warmLabel, false],
      ['plain.txt', 'Standard', false],
    ])
    const details = await call('storage:details', { accountId: 'a1', bucket: 'archive', key: 'cold.txt' })
    expect(details).toMatchObject({
      ok: true,
      value: { storageClass: 'GLACIER', storageClassLabel: coldLabel, archive: { state: 'archived' } },
    })
    const plain = await call('storage:details', { accountId: 'a1', bucket: 'archive', key: 'plain.txt' })
    expect(plain).toMatchObject({
      ok: true,
      value: { storageClass: 'STANDARD', storageClassLabel: 'Standard' },
    })
    expect((plain as { value: { archive?: unknown } }).value.archive).toBeUndefined()
  })

  it('refuses download and share of an archived object up front with "restore it first"', async () => {
    const { call, fixture } = await setUp(dialect, provider)
    const targetDir = await mkdtemp(join(tmpdir(), 'obs-sync-archive-'))
    const ref = { accountId: 'a1', bucket: 'archive', key: 'cold.txt' }
    const download = await call('storage:download', { ...ref, targetDir })
    expect(download).toEqual({
      ok: false,
      error: {
        code: 'OBJECT_ARCHIVED',
        message: expect.stringMatching(/restore it first/),
        params: { key: 'cold.txt' },
      },
    })
    const share = await call('storage:share', { ...ref, expiresInSeconds: 3600 })
    expect(share).toMatchObject({ ok: false, error: { code: 'OBJECT_ARCHIVED' } })
    // Up front: no GET of the object was sent.
    expect(fixture.requests.filter((r) => r.method === 'GET' && r.url.includes('cold.txt'))).toEqual([])
  })

  it('restores for N days: accepted, in progress, then readable until the date the server gives', async () => {
    const { call, fixture } = await setUp(dialect, provider)
    const ref = { accountId: 'a1', bucket: 'archive', key: 'cold.txt' }
    const first = await call('storage:restore', { ...ref, days: 3, tier: 'expedited' })
    expect(first).toEqual({ ok: true, value: { outcome: 'started', archive: { state: 'restoring' } } })
    const post = fixture.requests.find((r) => r.method === 'POST')
    expect(post?.url).toMatch(/\/archive\/cold\.txt\?restore/)
    if (dialect === 'obs') {
      expect(post?.body).toBe(
        '<RestoreRequest><Days>3</Days><RestoreJob><Tier>Expedited</Tier></RestoreJob></RestoreRequest>',
      )
    } else {
      expect(post?.body).toMatch(/<Days>3<\/Days><GlacierJobParameters><Tier>Expedited<\/Tier>/)
    }
    const again = await call('storage:restore', { ...ref, days: 3 })
    expect(again).toMatchObject({ ok: true, value: { outcome: 'in-progress' } })
    const whileRunning = await call('storage:download', {
      ...ref,
      targetDir: await mkdtemp(join(tmpdir(), 'o-')),
    })
    expect(whileRunning).toMatchObject({
      ok: false,
      error: {
        code: 'OBJECT_ARCHIVED',
        message: expect.stringMatching(/still running/),
        params: { cause: 'restoreRunning', key: 'cold.txt' },
      },
    })

    fixture.finishRestore('cold.txt')
    const details = await call('storage:details', ref)
    const archive = (details as { value: { archive: { state: string; restoredUntil: string } } }).value
      .archive
    expect(archive.state).toBe('restored')
    const days = (new Date(archive.restoredUntil).getTime() - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(2.9)
    expect(days).toBeLessThanOrEqual(3)
    const targetDir = await mkdtemp(join(tmpdir(), 'obs-sync-archive-'))
    const download = await call('storage:download', { ...ref, targetDir })
    expect(download).toMatchObject({ ok: true })
    expect(await readFile(join(targetDir, 'cold.txt'), 'utf8')).toBe('cold bytes')
    const extend = await call('storage:restore', { ...ref, days: 5 })
    expect(extend).toMatchObject({ ok: true, value: { outcome: 'extended', archive: { state: 'restored' } } })
  })

  it('says so when the object is not archived, and refuses bad days before sending anything', async () => {
    const { call, fixture } = await setUp(dialect, provider)
    const ref = { accountId: 'a1', bucket: 'archive', key: 'warm.txt' }
    expect(await call('storage:restore', { ...ref, days: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ARCHIVED' },
    })
    // Known from the HEAD: no restore request was sent for it.
    expect(fixture.requests.filter((r) => r.method === 'POST')).toEqual([])
    const sent = fixture.requests.length
    for (const days of [0, 31, 1.5]) {
      expect(await call('storage:restore', { ...ref, key: 'cold.txt', days })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      })
    }
    expect(fixture.requests.length).toBe(sent)
  })
})

it('OBS has no bulk restore: refused with the reason, nothing sent', async () => {
  const { call, fixture } = await setUp('obs', 'otc-obs')
  const result = await call('storage:restore', {
    accountId: 'a1',
    bucket: 'archive',
    key: 'cold.txt',
    days: 2,
    tier: 'bulk',
  })
  expect(result).toMatchObject({
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/expedited or standard/) },
  })
  expect(fixture.requests.filter((r) => r.method === 'POST')).toEqual([])
})

describe('storage class verified on the answer (HEAD)', () => {
  it.each([
    ['obs', 'otc-obs'],
    ['s3', 'aws-s3'],
  ] as const)(
    '%s: the class asked for passes (OBS may answer WARM); another one fails with what was stored',
    async (dialect, provider) => {
      fixture = await startArchiveFixture(dialect, 'archive', {
        'warm.txt': { body: 'warm', storageClass: 'STANDARD_IA' },
        'plain.txt': { body: 'plain', storageClass: 'STANDARD' },
      })
      const account = { endpoint: fixture.endpoint, region: 'eu-de', addressing: 'path' as const }
      const { s3 } = await createS3Client(account, { accessKeyId: 'AK', secretAccessKey: 'SK' })
      await verifyStorageClass(s3, provider, { bucket: 'archive', key: 'warm.txt' }, 'STANDARD_IA')
      await verifyStorageClass(s3, provider, { bucket: 'archive', key: 'plain.txt' }, 'STANDARD')
      await expect(
        verifyStorageClass(s3, provider, { bucket: 'archive', key: 'plain.txt' }, 'GLACIER'),
      ).rejects.toMatchObject({
        code: 'STORAGE_CLASS_NOT_APPLIED',
        message: expect.stringMatching(
          /asked to be stored as (Cold|Glacier Flexible Retrieval) but the server stored it as Standard/,
        ),
      })
    },
  )
})
