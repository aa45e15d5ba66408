// @vitest-environment happy-dom
import type { Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ObjectDetails as Details } from '../../preload/contract/models'
import type { RestoreRequest } from '../../preload/contract/storage-class-models'
import ObjectDetails from '../../renderer/src/components/browser/ObjectDetails.vue'
import RowContextMenu from '../../renderer/src/components/browser/RowContextMenu.vue'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useBrowserStore } from '../../renderer/src/stores/browser'
import { createFakeIpc, type FakeIpc, mountWithIpc, settle, storeHarness } from './renderer-fake-ipc'
import { account, details, page, presets } from './renderer-fixtures'

/** An archived (Cold) object on an OTC account, whose provider restores at two speeds. */
function archived(key: string, state: 'archived' | 'restoring' | 'restored'): Details {
  return {
    ...details(key),
    storageClass: 'GLACIER',
    storageClassLabel: 'Cold',
    archive: state === 'restored' ? { state, restoredUntil: '2026-12-24T00:00:00.000Z' } : { state },
  }
}

describe('archived objects in the browser', () => {
  let ipc: FakeIpc
  let restores: RestoreRequest[]
  beforeEach(() => {
    restores = []
    ipc = createFakeIpc()
      .answer('accounts:presets', () => presets)
      .answer('storage:buckets', () => [{ name: 'bucket-a' }])
      .answer('storage:bucket-encryption', () => ({ state: 'none' }))
      .answer('kms:keys', () => ({ keys: [], providerLists: true }))
      .answer('sse-c:list', () => [])
      .answer('storage:list', () => {
        const listed = page('', 0, 2)
        listed.objects[0] = {
          ...listed.objects[0]!,
          storageClass: 'GLACIER',
          storageClassLabel: 'Cold',
          archived: true,
        }
        return listed
      })
      .answer('storage:restore', (request) => {
        restores.push(request)
        return { outcome: 'started', archive: { state: 'restoring' } }
      })
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  async function open(state: 'archived' | 'restoring' | 'restored') {
    ipc.answer('storage:details', (ref) => archived(ref.key, state))
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [account()]
    await useAccountsStore().loadPresets()
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    return { pinia, browser }
  }

  it('an archived object says "restore it first", offers no download or share, and restores for N days', async () => {
    const { pinia, browser } = await open('archived')
    await browser.select('obj-000000')
    const { wrapper } = mountWithIpc(ObjectDetails, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="details-storage-class"]').text()).toBe('Cold')
    expect(wrapper.get('[data-testid="details-archive-state"]').text()).toContain('restore it first')
    expect(wrapper.find('[data-testid="share-button"]').exists()).toBe(false)

    await wrapper.get('[data-testid="restore-days"]').setValue(7)
    await wrapper.get('[data-testid="restore-tier"]').setValue('expedited')
    await wrapper.get('[data-testid="restore-form"]').trigger('submit')
    await settle()
    expect(restores).toEqual([
      { accountId: 'acc-1', bucket: 'bucket-a', key: 'obj-000000', days: 7, tier: 'expedited' },
    ])
    expect(wrapper.get('[data-testid="restore-note"]').text()).toContain('The restore was accepted')
    expect(wrapper.get('[data-testid="details-archive-state"]').text()).toBe('Restore in progress.')
    expect(wrapper.find('[data-testid="restore-form"]').exists()).toBe(false)
  })

  it('a restored copy can be shared and its days extended', async () => {
    const { pinia, browser } = await open('restored')
    await browser.select('obj-000000')
    const { wrapper } = mountWithIpc(ObjectDetails, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="details-archive-state"]').text()).toMatch(/^Restored until /)
    expect(wrapper.find('[data-testid="share-button"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="restore-button"]').text()).toBe('Keep restored for 1 day')
  })

  it('the context menu of an archived object offers Restore…, which opens its details; other objects do not', async () => {
    const { pinia, browser } = await open('archived')
    const plainMenu = await menuFor(pinia, browser, 1)
    expect(plainMenu.find('[data-testid="menu-restore"]').exists()).toBe(false)
    plainMenu.unmount()

    const menu = await menuFor(pinia, browser, 0)
    await menu.get('[data-testid="menu-restore"]').trigger('click')
    await settle()
    expect(browser.selectedKey).toBe('obj-000000')
    expect(browser.details?.archive?.state).toBe('archived')
  })

  /** The menu of one row, selected alone as a right-click does (rows: obj-000000 archived, obj-000001 not). */
  async function menuFor(pinia: Pinia, browser: ReturnType<typeof useBrowserStore>, row: number) {
    browser.selectRow(row, 'only')
    const { wrapper } = mountWithIpc(RowContextMenu, { ipc, pinia, props: { x: 10, y: 10 } })
    await settle()
    return wrapper
  }
})
