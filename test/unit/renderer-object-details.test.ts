// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ObjectEncryption } from '../../preload/contract/models'
import ObjectDetails from '../../renderer/src/components/browser/ObjectDetails.vue'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useBrowserStore } from '../../renderer/src/stores/browser'
import { createFakeIpc, type FakeIpc, mountWithIpc, settle, storeHarness } from './renderer-fake-ipc'
import { account, defaultKey, details, kmsKey, page } from './renderer-fixtures'

const disabledKey = kmsKey({ id: 'k-off', alias: 'old-backups', state: 'disabled' })

describe('object details panel', () => {
  let ipc: FakeIpc
  beforeEach(() => {
    localStorage.clear()
    ipc = createFakeIpc()
      .answer('storage:buckets', () => [{ name: 'bucket-a' }])
      .answer('storage:bucket-encryption', () => ({ state: 'none' }))
      .answer('storage:list', () => page('', 0, 1))
      .answer('kms:keys', () => ({ keys: [defaultKey, disabledKey], providerLists: true }))
      .answer('sse-c:list', () => ['personal'])
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  async function open(encryption: ObjectEncryption | 'sse-c-locked') {
    if (encryption === 'sse-c-locked') {
      ipc.fail(
        'storage:details',
        'SSE_C_KEY_REQUIRED',
        'This object is encrypted with a customer key; choose it to read the object.',
      )
    } else {
      ipc.answer('storage:details', (ref) => details(ref.key, encryption))
    }
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [account()]
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    await browser.select('obj-000000')
    const { wrapper } = mountWithIpc(ObjectDetails, { ipc, pinia })
    await settle()
    return { wrapper, browser }
  }

  it('shows size, dates, content type, metadata and the fixed-encryption note', async () => {
    const { wrapper } = await open({ mode: 'none' })
    expect(wrapper.get('[data-testid="details-size"]').text()).toContain('2,048 bytes')
    expect(wrapper.text()).toContain('text/plain')
    expect(wrapper.get('[data-testid="details-metadata"]').text()).toContain('owner')
    expect(wrapper.get('[data-testid="details-encryption-note"]').text()).toContain('cannot be changed')
    expect(wrapper.find('[data-testid="details-encryption"] select').exists()).toBe(false) // never offered
  })

  it('names the SSE-KMS key with alias, id and state from the key list, and warns when it is unusable', async () => {
    const { wrapper } = await open({ mode: 'sse-kms', kmsKeyId: disabledKey.headerId })
    const key = wrapper.get('[data-testid="details-key"]')
    expect(key.text()).toContain('old-backups')
    expect(key.text()).toContain(disabledKey.headerId)
    expect(wrapper.get('[data-testid="details-key-state"]').text()).toBe('Disabled')
    expect(wrapper.text()).toContain('Downloads of this object fail until the key is usable again.')
  })

  it('disables sharing of an encrypted object and says why', async () => {
    const { wrapper } = await open({ mode: 'sse-kms' })
    const button = wrapper.get('[data-testid="share-button"]')
    expect(button.attributes('disabled')).toBeDefined()
    expect(button.attributes('aria-describedby')).toBe('share-reason')
    expect(wrapper.get('[data-testid="share-reason"]').text()).toContain('Encrypted objects cannot be shared')
    expect(ipc.callsTo('storage:share')).toEqual([])
  })

  it('creates a link for an unencrypted object, and shows a refusal from main in words', async () => {
    ipc.answer('storage:share', () => ({
      url: 'https://bucket-a.example/obj?sig=1',
      expiresAt: '2026-01-03T00:00:00Z',
    }))
    const { wrapper } = await open({ mode: 'none' })
    await wrapper.get('[data-testid="share-button"]').trigger('click')
    await settle()
    expect((wrapper.get('[data-testid="share-url"]').element as HTMLInputElement).value).toBe(
      'https://bucket-a.example/obj?sig=1',
    )
    expect(ipc.callsTo('storage:share')[0]?.[0]).toMatchObject({ key: 'obj-000000', expiresInSeconds: 86400 })
    ipc.fail(
      'storage:share',
      'ENCRYPTED_NOT_SHAREABLE',
      'obj-000000 is encrypted (SSE-KMS); share links are refused.',
    )
    await wrapper.get('[data-testid="share-button"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="share-error"]').text()).toContain('share links are refused')
  })

  it('downloads through the download queue: one "Download to a folder…" action that asks where', async () => {
    const { wrapper } = await open({ mode: 'none' })
    expect(wrapper.findAll('form').map((f) => f.attributes('data-testid'))).not.toContain('download-form')
    await wrapper.get('[data-testid="download-to-folder"]').trigger('click')
    expect(wrapper.emitted('download')).toEqual([['obj-000000']])
  })

  it('asks for the customer key of an SSE-C object and reads it with that key', async () => {
    const { wrapper, browser } = await open('sse-c-locked')
    expect(wrapper.get('[data-testid="details-error"]').text()).toContain('choose it to read the object')
    ipc.answer('storage:details', (ref) => details(ref.key, { mode: 'sse-c' }))
    await wrapper.get('[data-testid="details-sse-c"]').trigger('submit')
    await settle()
    expect(ipc.callsTo('storage:details').at(-1)?.[0].sseCustomerKeyName).toBe('personal')
    expect(browser.details?.encryption.mode).toBe('sse-c')
    expect(wrapper.get('[data-testid="share-reason"]').text()).toContain('customer key')
  })

  it('closes with Escape and with its close button', async () => {
    const { wrapper, browser } = await open({ mode: 'none' })
    await wrapper.get('[data-testid="object-details"]').trigger('keydown', { key: 'Escape' })
    expect(browser.selectedKey).toBeUndefined()
    await browser.select('obj-000000')
    await settle()
    await wrapper.get('[data-testid="details-close"]').trigger('click')
    expect(browser.selectedKey).toBeUndefined()
  })
})
