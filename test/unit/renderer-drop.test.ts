// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import BrowserView from '../../renderer/src/components/browser/BrowserView.vue'
import { canResolveFilePaths, droppedNames, droppedPaths } from '../../renderer/src/ipc/dropped-paths'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useBrowserStore } from '../../renderer/src/stores/browser'
import { createFakeIpc, mountWithIpc, settle, storeHarness } from './renderer-fake-ipc'
import { account, page } from './renderer-fixtures'

function files(...names: string[]) {
  return names.map((name) => new File(['x'], name))
}

/** happy-dom has no DataTransfer constructor with files; this is the part the code reads. */
function transfer(list: File[]): DataTransfer {
  return { files: list, types: ['Files'] } as unknown as DataTransfer
}

function withElectronBridge(fn: () => Promise<void> | void) {
  const win = window as unknown as { api?: unknown }
  win.api = {
    invoke: async () => ({ ok: true, value: null }),
    on: () => () => {},
    pathsForFiles: (list: File[]) => list.map((f) => `/home/ana/Desktop/${f.name}`),
  }
  return Promise.resolve(fn()).finally(() => {
    delete win.api
  })
}

describe('dropped paths', () => {
  it('come from the Electron bridge, and are empty in a browser', async () => {
    expect(canResolveFilePaths()).toBe(false)
    expect(droppedPaths(transfer(files('a.txt')))).toEqual([])
    expect(droppedNames(transfer(files('a.txt', 'b.txt')))).toEqual(['a.txt', 'b.txt'])
    await withElectronBridge(() => {
      expect(canResolveFilePaths()).toBe(true)
      expect(droppedPaths(transfer(files('a.txt', 'photos')))).toEqual([
        '/home/ana/Desktop/a.txt',
        '/home/ana/Desktop/photos',
      ])
      expect(droppedPaths(null)).toEqual([])
    })
  })
})

describe('drag and drop on the browser', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  async function browserWithBucket(open = true) {
    const ipc = createFakeIpc()
      .answer('storage:buckets', () => [{ name: 'bucket-a' }])
      .answer('storage:bucket-encryption', () => ({ state: 'none' }))
      .answer('storage:list', () => page('', 0, 2))
      .answer('kms:keys', () => ({ keys: [], providerLists: true }))
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [account()]
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    if (open) await browser.openBucket('bucket-a')
    const { wrapper } = mountWithIpc(BrowserView, { ipc, pinia })
    await settle()
    return wrapper
  }

  function dragEvent(type: string, list: File[]) {
    const event = new Event(type, { bubbles: true, cancelable: true })
    Object.defineProperty(event, 'dataTransfer', { value: transfer(list) })
    return event
  }

  it('shows a drop target while files are dragged over, then opens the upload dialog with their paths (Electron)', async () => {
    await withElectronBridge(async () => {
      const wrapper = await browserWithBucket()
      const view = wrapper.get('[data-testid="browser-view"]').element
      view.dispatchEvent(dragEvent('dragenter', files('a.pdf')))
      await settle()
      expect(wrapper.get('[data-testid="drop-overlay"]').text()).toContain('to bucket-a/')
      view.dispatchEvent(dragEvent('drop', files('a.pdf', 'photos')))
      await settle()
      expect(wrapper.find('[data-testid="drop-overlay"]').exists()).toBe(false)
      const paths = document.querySelector<HTMLTextAreaElement>('[data-testid="upload-paths"]')
      expect(paths?.value).toBe('/home/ana/Desktop/a.pdf\n/home/ana/Desktop/photos')
    })
  })

  it('in the web UI, opens the dialog with the dropped files and their sizes, to be sent to OBS Sync (no paths asked)', async () => {
    const wrapper = await browserWithBucket()
    wrapper
      .get('[data-testid="browser-view"]')
      .element.dispatchEvent(dragEvent('drop', files('a.pdf', 'b.txt')))
    await settle()
    expect(document.querySelector('[data-testid="upload-paths"]')).toHaveProperty('value', '')
    expect(document.querySelector('[data-testid="upload-web-note"]')).toBeNull()
    const listed = document.querySelector('[data-testid="upload-web-files"]')?.textContent ?? ''
    expect(listed).toContain('2 dropped files')
    expect(listed).toMatch(/a\.pdf \(\d+ B\)/)
    expect(listed).toMatch(/b\.txt \(\d+ B\)/)
    expect(document.querySelector('[data-testid="upload-submit"]')?.textContent).toContain('Upload 2 items')
  })

  it('asks to open a bucket first when files are dropped on the bucket list', async () => {
    const wrapper = await browserWithBucket(false)
    wrapper.get('[data-testid="browser-view"]').element.dispatchEvent(dragEvent('drop', files('a.pdf')))
    await settle()
    expect(wrapper.text()).toContain('Open a bucket first')
    expect(document.querySelector('[data-testid="upload-dialog"]')).toBeNull()
  })
})
