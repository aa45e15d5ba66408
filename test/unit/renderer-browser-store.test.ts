// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import type { ObjectPage } from '../../preload/contract/models'
import { useBrowserStore } from '../../renderer/src/stores/browser'
import { createFakeIpc, type FakeIpc, settle, storeHarness } from './renderer-fake-ipc'
import { details, page } from './renderer-fixtures'

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

describe('browser store', () => {
  let ipc: FakeIpc

  beforeEach(() => {
    ipc = createFakeIpc()
      .answer('storage:buckets', () => [{ name: 'bucket-a' }, { name: 'bucket-b' }])
      .answer('storage:bucket-encryption', () => ({
        state: 'set',
        encryption: { mode: 'sse-kms', kmsKeyId: 'k1' },
      }))
    storeHarness(ipc)
  })

  it('lists the buckets of the account it is set to', async () => {
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    expect(browser.buckets.map((b) => b.name)).toEqual(['bucket-a', 'bucket-b'])
    expect(ipc.callsTo('storage:buckets')).toEqual([['acc-1']])
  })

  it('shows why the buckets could not be listed, in words', async () => {
    ipc.fail('storage:buckets', 'BAD_CREDENTIALS', 'The access key was refused by the server.')
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    expect(browser.bucketsError).toMatchObject({
      code: 'BAD_CREDENTIALS',
      message: 'The access key was refused by the server.',
      hint: "Check the account's access key and secret key.",
    })
  })

  it('pages through a listing with continuation tokens, folders first, and stops at the last page', async () => {
    const pages: Record<string, ObjectPage> = {
      first: page('', 0, 3, 't1', ['photos/']),
      t1: page('', 3, 2, 't2'),
      t2: page('', 5, 1),
    }
    ipc.answer('storage:list', (req) => pages[req.continuationToken ?? 'first']!)
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    expect(browser.rows.map((r) => r.name)).toEqual(['photos', 'obj-000000', 'obj-000001', 'obj-000002'])
    expect(browser.hasMore).toBe(true)
    await browser.loadPage()
    await browser.loadPage()
    expect(browser.rows).toHaveLength(7)
    expect(browser.hasMore).toBe(false)
    await browser.loadPage() // nothing more to load: no call
    expect(ipc.callsTo('storage:list').map(([req]) => req.continuationToken)).toEqual([undefined, 't1', 't2'])
    expect(browser.bucketEncryption).toEqual({
      state: 'set',
      encryption: { mode: 'sse-kms', kmsKeyId: 'k1' },
    })
  })

  it('opens folders by prefix, names rows relative to it, hides the folder marker, and builds breadcrumbs', async () => {
    ipc.answer('storage:list', (req) => ({
      prefix: req.prefix,
      folders: [`${req.prefix}deeper/`],
      objects: [
        { key: req.prefix, size: 0 },
        { key: `${req.prefix}a.txt`, size: 1 },
      ],
    }))
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    await browser.openPrefix('docs/2024/')
    expect(browser.rows.map((r) => [r.kind, r.name])).toEqual([
      ['folder', 'deeper'],
      ['object', 'a.txt'],
    ])
    expect(browser.crumbs).toEqual([
      { name: 'docs', prefix: 'docs/' },
      { name: '2024', prefix: 'docs/2024/' },
    ])
  })

  it('filters the loaded rows by name, case-insensitively', async () => {
    ipc.answer('storage:list', () => ({
      prefix: '',
      folders: ['Reports/'],
      objects: [
        { key: 'report.pdf', size: 1 },
        { key: 'photo.jpg', size: 1 },
      ],
    }))
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    browser.filter = 'REPORT'
    expect(browser.visibleRows.map((r) => r.name)).toEqual(['Reports', 'report.pdf'])
  })

  it('drops the answer for a folder the user has already left', async () => {
    const slow = deferred<ObjectPage>()
    ipc.answer('storage:list', (req) => (req.prefix === 'old/' ? slow.promise : page(req.prefix, 0, 1)))
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    const leaving = browser.openPrefix('old/')
    await browser.openPrefix('new/')
    slow.resolve(page('old/', 0, 5))
    await leaving
    expect(browser.prefix).toBe('new/')
    expect(browser.rows.map((r) => r.key)).toEqual(['new/obj-000000'])
  })

  it('fetches encryption badges only for the rows asked for, at most four at once, and caches them', async () => {
    ipc.answer('storage:list', () => page('', 0, 50))
    const gates: (() => void)[] = []
    let inFlight = 0
    let maxInFlight = 0
    ipc.answer('storage:details', async (ref) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise<void>((resolve) => gates.push(resolve))
      inFlight--
      return details(ref.key, { mode: 'sse-kms', kmsKeyId: 'k1', kmsKeyAlias: 'finance' })
    })
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    const visible = browser.rows.slice(0, 10).map((r) => r.key)
    browser.wantBadges(visible)
    await settle()
    expect(browser.badgeFor(visible[0]!)).toEqual({ state: 'loading' })
    expect(browser.badgeFor(visible[9]!)).toBeUndefined()
    while (gates.length) {
      gates.shift()!()
      await settle()
    }
    expect(maxInFlight).toBe(4)
    expect(ipc.callsTo('storage:details')).toHaveLength(10)
    expect(browser.badgeFor(visible[9]!)).toEqual({
      state: 'known',
      encryption: { mode: 'sse-kms', kmsKeyId: 'k1', kmsKeyAlias: 'finance' },
    })
    browser.wantBadges(visible) // cached: no new request
    await settle()
    expect(ipc.callsTo('storage:details')).toHaveLength(10)
  })

  it('skips badges of rows scrolled away before their turn', async () => {
    ipc.answer('storage:list', () => page('', 0, 100))
    const gates: (() => void)[] = []
    ipc.answer('storage:details', async (ref) => {
      await new Promise<void>((resolve) => gates.push(resolve))
      return details(ref.key)
    })
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    const keys = browser.rows.map((r) => r.key)
    browser.wantBadges(keys.slice(0, 20))
    browser.wantBadges(keys.slice(80, 90)) // flung to the end while the first four were in flight
    while (gates.length) {
      gates.shift()!()
      await settle()
    }
    const asked = ipc.callsTo('storage:details').map(([ref]) => ref.key)
    expect(asked).toEqual([...keys.slice(0, 4), ...keys.slice(80, 90)])
  })

  it('takes an SSE-C refusal as the badge itself, and keeps other failures as an unknown badge with the reason', async () => {
    ipc.answer('storage:list', () => page('', 0, 2))
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    const [a, b] = browser.rows.map((r) => r.key) as [string, string]
    ipc.fail('storage:details', 'SSE_C_KEY_REQUIRED')
    browser.wantBadges([a])
    await settle()
    ipc.fail('storage:details', 'ACCESS_DENIED', 'Reading this object is not allowed.')
    browser.wantBadges([b])
    await settle()
    expect(browser.badgeFor(a)).toEqual({ state: 'known', encryption: { mode: 'sse-c' } })
    expect(browser.badgeFor(b)).toMatchObject({
      state: 'error',
      error: { message: 'Reading this object is not allowed.' },
    })
  })

  it('opens details, records their encryption as the badge, and reads SSE-C objects with the chosen key', async () => {
    ipc.answer('storage:list', () => page('', 0, 1))
    ipc.answer('storage:details', (ref) =>
      details(ref.key, { mode: ref.sseCustomerKeyName ? 'sse-c' : 'sse-obs' }),
    )
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    await browser.select('obj-000000')
    expect(browser.details?.encryption.mode).toBe('sse-obs')
    expect(browser.badgeFor('obj-000000')).toEqual({ state: 'known', encryption: { mode: 'sse-obs' } })
    await browser.select('obj-000000', 'personal')
    expect(ipc.callsTo('storage:details').at(-1)?.[0]).toMatchObject({ sseCustomerKeyName: 'personal' })
    // Every later request about the open object carries the chosen key (the server checks it: it refuses sharing).
    ipc.answer('storage:share', () => ({ url: 'https://x', expiresAt: '2026-12-01T00:00:00Z' }))
    await browser.share(3600)
    expect(ipc.callsTo('storage:share')[0]?.[0]).toEqual({
      expiresInSeconds: 3600,
      accountId: 'acc-1',
      bucket: 'bucket-a',
      key: 'obj-000000',
      sseCustomerKeyName: 'personal',
    })
  })

  it('refreshes from the first page while keeping the filter and the open details', async () => {
    let version = 0
    ipc.answer('storage:list', () => page('', version * 10, 2))
    ipc.answer('storage:details', (ref) => details(ref.key))
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    await browser.select('obj-000000')
    browser.filter = 'obj'
    version = 1
    await browser.refresh()
    expect(browser.rows.map((r) => r.key)).toEqual(['obj-000010', 'obj-000011'])
    expect(browser.filter).toBe('obj')
    expect(browser.selectedKey).toBe('obj-000000')
  })

  it('forgets the bucket and listing when the account changes', async () => {
    ipc.answer('storage:list', () => page('', 0, 3))
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    await browser.setAccount('acc-2')
    expect(browser.bucket).toBeUndefined()
    expect(browser.rows).toEqual([])
    expect(ipc.callsTo('storage:buckets')).toEqual([['acc-1'], ['acc-2']])
  })
})
