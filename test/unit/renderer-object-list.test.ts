// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import ObjectList from '../../renderer/src/components/browser/ObjectList.vue'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useBrowserStore } from '../../renderer/src/stores/browser'
import { type FakeIpc, mountWithIpc, settle, storeHarness, withFakeIpcAndLayout } from './renderer-fake-ipc'
import { account, details, page } from './renderer-fixtures'

const TOTAL = 100_000

describe('object list (virtualized)', () => {
  let ipc: FakeIpc
  withFakeIpcAndLayout(600, (fresh) => {
    ipc = fresh
      .answer('storage:buckets', () => [{ name: 'bucket-a' }])
      .answer('storage:bucket-encryption', () => ({ state: 'none' }))
      .answer('kms:keys', () => ({ keys: [], providerLists: true }))
      .answer('storage:details', (ref) => {
        const n = Number(ref.key.slice(-6))
        return details(
          ref.key,
          n % 2 ? { mode: 'sse-kms', kmsKeyId: 'k1', kmsKeyAlias: 'finance' } : { mode: 'sse-obs' },
        )
      })
  })

  async function mountWithRows(count: number, folders: string[] = []) {
    ipc.answer('storage:list', (req) => {
      const start = Number(req.continuationToken ?? 0)
      const size = Math.min(1000, count - start)
      const next = start + size < count ? String(start + size) : undefined
      return page(req.prefix, start, size, next, start === 0 ? folders.map((f) => req.prefix + f) : [])
    })
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [account()]
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    while (browser.hasMore) await browser.loadPage()
    const { wrapper } = mountWithIpc(ObjectList, { ipc, pinia })
    await settle()
    return { wrapper, browser }
  }

  // 100 pages of 1,000 through the fake IPC take ~1 s alone, several on the shared 2-core machine under load.
  it('keeps fewer than 200 rows in the DOM for 100,000 objects', { timeout: 30_000 }, async () => {
    const { wrapper, browser } = await mountWithRows(TOTAL)
    expect(browser.rows).toHaveLength(TOTAL)
    const rendered = wrapper.findAll('[role="row"]')
    expect(rendered.length).toBeGreaterThan(10)
    expect(rendered.length).toBeLessThan(200)
    expect(wrapper.get('[role="grid"]').attributes('aria-rowcount')).toBe(String(TOTAL))
    expect(wrapper.get('[data-testid="listing-footer"]').text()).toContain('100,000 items')
  })

  it('fetches encryption badges only for the rows on screen and shows them by alias', {
    timeout: 30_000,
  }, async () => {
    const { wrapper } = await mountWithRows(TOTAL)
    await settle(10)
    const asked = ipc.callsTo('storage:details').length
    expect(asked).toBeGreaterThan(0)
    expect(asked).toBe(wrapper.findAll('[data-testid="object-row"]').length)
    const badges = wrapper.findAll('[data-testid="encryption-badge"]')
    expect(badges[0]?.attributes('data-state')).toBe('sse-obs')
    expect(badges[0]?.text()).toBe('SSE-OBS')
    expect(badges[1]?.attributes('data-state')).toBe('sse-kms')
    expect(badges[1]?.text()).toBe('SSE-KMS · finance')
  })

  it('shows "…" until a badge is known', async () => {
    ipc.answer('storage:details', () => new Promise(() => {}))
    const { wrapper } = await mountWithRows(3)
    const badge = wrapper.get('[data-testid="encryption-badge"]')
    expect(badge.text()).toBe('…')
    expect(badge.attributes('aria-label')).toBe('Encryption not known yet')
  })

  it('opens a folder and an object with Enter, selects with Space, and moves with the arrow keys', async () => {
    const { wrapper, browser } = await mountWithRows(5, ['sub/'])
    const rows = wrapper.findAll('[role="row"]')
    expect(rows[0]?.attributes('tabindex')).toBe('0')
    expect(rows[1]?.attributes('tabindex')).toBe('-1')
    await rows[0]!.trigger('keydown', { key: 'ArrowDown' })
    await settle()
    expect(document.activeElement?.getAttribute('data-index')).toBe('1')
    await wrapper.findAll('[role="row"]')[1]!.trigger('keydown', { key: ' ' })
    await settle()
    expect([...browser.selection.keys]).toEqual(['obj-000000'])
    expect(browser.selectedKey).toBeUndefined()
    await wrapper.findAll('[role="row"]')[1]!.trigger('keydown', { key: 'Escape' }) // clears the selection
    expect(browser.selection.keys.size).toBe(0)
    await wrapper.findAll('[role="row"]')[1]!.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(browser.selectedKey).toBe('obj-000000')
    await wrapper.findAll('[role="row"]')[1]!.trigger('keydown', { key: 'Escape' }) // closes the details
    expect(browser.selectedKey).toBeUndefined()
    await wrapper.findAll('[role="row"]')[0]!.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(browser.prefix).toBe('sub/')
  })

  it('loads the next page when the end of the list comes into view', async () => {
    ipc.answer('storage:list', (req) => (req.continuationToken ? page('', 5, 5) : page('', 0, 5, 'more')))
    const { pinia } = storeHarness(ipc)
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    mountWithIpc(ObjectList, { ipc, pinia })
    await settle(10)
    expect(ipc.callsTo('storage:list').map(([req]) => req.continuationToken)).toEqual([undefined, 'more'])
    expect(browser.rows).toHaveLength(10)
  })

  it('has designed empty states for an empty folder and for a filter without matches', async () => {
    const { wrapper, browser } = await mountWithRows(0)
    expect(wrapper.get('[data-testid="listing-empty"]').text()).toContain('This folder is empty')
    ipc.answer('storage:list', () => page('', 0, 3))
    await browser.refresh()
    browser.filter = 'nothing-like-this'
    await settle()
    expect(wrapper.get('[data-testid="filter-empty"]').text()).toContain('nothing-like-this')
  })

  it('shows a listing failure in words with a way to try again', async () => {
    ipc.fail('storage:list', 'NO_SUCH_BUCKET', 'The bucket bucket-a does not exist (any more).')
    const { pinia } = storeHarness(ipc)
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    const { wrapper } = mountWithIpc(ObjectList, { ipc, pinia })
    await settle()
    const error = wrapper.get('[data-testid="listing-error"]')
    expect(error.attributes('role')).toBe('alert')
    expect(error.text()).toContain('The bucket bucket-a does not exist (any more).')
    expect(error.text()).not.toContain('NO_SUCH_BUCKET')
  })
})
