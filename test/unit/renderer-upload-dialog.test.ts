// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BucketEncryption, KmsKey } from '../../preload/contract/models'
import UploadDialog from '../../renderer/src/components/upload/UploadDialog.vue'
import { setLocale } from '../../renderer/src/i18n'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useBrowserStore } from '../../renderer/src/stores/browser'
import { createFakeIpc, type FakeIpc, mountWithIpc, settle, storeHarness } from './renderer-fake-ipc'
import { account, defaultKey, kmsKey, page, presets } from './renderer-fixtures'

const finance = kmsKey({ id: 'k-fin', alias: 'finance' })
const disabled = kmsKey({ id: 'k-off', alias: 'old-backups', state: 'disabled' })
const deleting = kmsKey({ id: 'k-del', alias: 'retired', state: 'pending-deletion' })

describe('upload dialog', () => {
  let ipc: FakeIpc

  beforeEach(() => {
    ipc = createFakeIpc()
      .answer('storage:buckets', () => [{ name: 'bucket-a' }])
      .answer('storage:list', () => page('', 0, 1))
      .answer('kms:keys', () => ({
        keys: [defaultKey, finance, disabled, deleting],
        providerLists: true,
        consoleUrl: 'https://console.example/kms',
      }))
      .answer('sse-c:list', () => ['personal'])
      .answer('accounts:presets', () => presets)
      .answer('queue:enqueue', (req) => ({ jobIds: req.paths.map((_, i) => i + 1), skipped: [] }))
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  async function open(
    bucketDefault: BucketEncryption,
    props: { initialPaths?: string[]; droppedNames?: string[] } = {},
    onAccount = account(),
  ) {
    ipc.answer('storage:bucket-encryption', () => bucketDefault)
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [onAccount]
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    await browser.openPrefix('docs/')
    await settle()
    const { wrapper } = mountWithIpc(UploadDialog, {
      ipc,
      pinia,
      props: { initialPaths: props.initialPaths ?? [], droppedNames: props.droppedNames ?? [] },
    })
    await settle()
    return wrapper
  }

  const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
  const all = (id: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)]
  /** Submits the form as a user would and lets the answers arrive. */
  async function submit(wrapper: Awaited<ReturnType<typeof open>>): Promise<void> {
    await wrapper.get('form').trigger('submit')
    await settle()
  }
  /** The encryption the dialog's first enqueue asked for. */
  const sentEncryption = () => ipc.callsTo('queue:enqueue')[0]?.[0].encryption

  it('pre-selects the bucket default (SSE-KMS with its key) and then sends no choice, so main applies the default', async () => {
    const wrapper = await open(
      { state: 'set', encryption: { mode: 'sse-kms', kmsKeyId: finance.headerId } },
      { initialPaths: ['/home/ana/a.pdf', '/home/ana/photos'] },
    )
    expect(byTestId('encryption-mode-sse-kms')).toHaveProperty('checked', true)
    const chosen = all('kms-key-option').find((o) => o.querySelector('input')?.checked)
    expect(chosen?.dataset.keyId).toBe('k-fin')
    expect(byTestId('upload-encryption-default')?.textContent).toContain('SSE-KMS with finance')
    await submit(wrapper)
    expect(ipc.callsTo('queue:enqueue')).toEqual([
      [
        {
          accountId: 'acc-1',
          bucket: 'bucket-a',
          prefix: 'docs/',
          paths: ['/home/ana/a.pdf', '/home/ana/photos'],
          // The rule for objects that already exist: the remembered one, "ask" until the user picks another.
          onExists: 'ask',
        },
      ],
    ])
    expect(byTestId('upload-result')?.textContent).toContain('2 uploads queued')
  })

  it('asks about existing objects without saying "0 uploads queued", and says what was queued after the answer', async () => {
    ipc
      .answer('queue:enqueue', () => ({
        jobIds: [],
        skipped: [],
        clashes: { ids: ['c-7'], count: 1, examples: ['docs/a.pdf'] },
      }))
      .answer('queue:answer-clashes', () => ({ jobIds: [7], skipped: [] }))
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/home/ana/a.pdf'] })
    await submit(wrapper)
    expect(byTestId('upload-clash')?.textContent).toContain('1 object of the same name already exists')
    expect(byTestId('upload-result')?.textContent).not.toContain('queued')
    byTestId('upload-clash-rename')?.click()
    await settle()
    expect(byTestId('upload-queued')?.textContent).toContain('1 upload queued')
    expect(byTestId('upload-clash')).toBeNull()
  })

  it('lists the default key first and shows disabled and pending-deletion keys as not selectable, with why', async () => {
    await open({ state: 'none' })
    ;(byTestId('encryption-mode-sse-kms') as HTMLInputElement).click()
    await settle()
    const options = all('kms-key-option')
    expect(options.map((o) => o.dataset.keyId)).toEqual(['obs/default', 'k-fin', 'k-off', 'k-del'])
    expect(options[0]?.textContent).toContain('default')
    const radio = (o: HTMLElement | undefined) => o?.querySelector('input') as HTMLInputElement
    expect(radio(options[1]).disabled).toBe(false)
    expect(radio(options[2]).disabled).toBe(true)
    expect(radio(options[3]).disabled).toBe(true)
    expect(options[2]?.querySelector('[data-testid="kms-key-reason"]')?.textContent).toMatch(/disabled/)
    expect(options[3]?.querySelector('[data-testid="kms-key-reason"]')?.textContent).toMatch(
      /scheduled for deletion/,
    )
    expect(options[3]?.querySelector('[data-testid="kms-key-state"]')?.textContent?.trim()).toBe(
      'Pending deletion',
    )
    expect(byTestId('kms-console-link')?.getAttribute('href')).toBe('https://console.example/kms')
    expect(byTestId('kms-console-link')?.getAttribute('rel')).toContain('noopener')
  })

  it('sends the chosen key id once the user picks one', async () => {
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/home/ana/a.pdf'] })
    ;(byTestId('encryption-mode-sse-kms') as HTMLInputElement).click()
    await settle()
    ;(all('kms-key-option')[1]!.querySelector('input') as HTMLInputElement).click()
    await settle()
    await submit(wrapper)
    expect(sentEncryption()).toEqual({ mode: 'sse-kms', keyId: finance.headerId })
  })

  it('shows the permission message when listing is forbidden and still takes a typed key id', async () => {
    let keys: KmsKey[] = [defaultKey]
    ipc.answer('kms:keys', () => ({
      keys,
      providerLists: true,
      listingError: {
        code: 'KMS_PERMISSION_MISSING',
        message: 'Listing keys needs the kms:cmk:list permission.',
      },
    }))
    ipc.answer('kms:add-manual', (id, keyId) => {
      keys = [defaultKey, kmsKey({ id: keyId, headerId: keyId, origin: 'manual', state: 'unknown' })]
      return account({ id, manualKmsKeyIds: [keyId] })
    })
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] })
    ;(byTestId('encryption-mode-sse-kms') as HTMLInputElement).click()
    await settle()
    expect(byTestId('kms-listing-error')?.textContent).toContain('kms:cmk:list')
    const input = byTestId('kms-manual-input') as HTMLInputElement
    input.value = 'my-typed-key'
    input.dispatchEvent(new Event('input'))
    await settle()
    ;(byTestId('kms-manual-add') as HTMLButtonElement).click()
    await settle()
    expect(ipc.callsTo('kms:add-manual')).toEqual([['acc-1', 'my-typed-key']])
    const typed = all('kms-key-option').find((o) => o.dataset.keyId === 'my-typed-key')
    expect((typed!.querySelector('input') as HTMLInputElement).checked).toBe(true)
    await submit(wrapper)
    expect(sentEncryption()).toEqual({ mode: 'sse-kms', keyId: 'my-typed-key' })
  })

  it('presents typed key ids as the normal way on servers without a key list', async () => {
    ipc.answer('kms:keys', () => ({ keys: [], providerLists: false }))
    await open({ state: 'none' })
    ;(byTestId('encryption-mode-sse-kms') as HTMLInputElement).click()
    await settle()
    expect(byTestId('kms-manual-only')?.textContent).toContain('add the id of the key')
    expect(byTestId('kms-listing-error')).toBeNull()
    expect(byTestId('kms-manual-input')).not.toBeNull()
  })

  it('uses a key id that was typed but not added', async () => {
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] })
    ;(byTestId('encryption-mode-sse-kms') as HTMLInputElement).click()
    await settle()
    const input = byTestId('kms-manual-input') as HTMLInputElement
    input.value = '  nokey-typed  '
    input.dispatchEvent(new Event('input'))
    await settle()
    await submit(wrapper)
    expect(ipc.callsTo('kms:add-manual')).toEqual([])
    expect(sentEncryption()).toEqual({ mode: 'sse-kms', keyId: 'nokey-typed' })
  })

  /** Picks SSE-KMS without choosing a key and submits the dialog, as a user would. */
  async function submitWithKmsMode(wrapper: Awaited<ReturnType<typeof open>>): Promise<void> {
    ;(byTestId('encryption-mode-sse-kms') as HTMLInputElement).click()
    await settle()
    await submit(wrapper)
  }

  const rgw = account({ provider: 'ceph-rgw', endpoint: 'https://rgw.lab.example:7480', addressing: 'path' })

  it('refuses SSE-KMS without a key before anything is queued when the server has no default key, saying what to pick', async () => {
    ipc.answer('kms:keys', () => ({ keys: [], providerLists: false }))
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] }, rgw)
    await submitWithKmsMode(wrapper)
    expect(ipc.callsTo('queue:enqueue')).toEqual([])
    expect(byTestId('upload-problem')?.textContent).toMatch(/no default KMS key.*Use another key id/)
  })

  it('asks core, not the key listing, whether SSE-KMS needs a key: OBS has its default key even when none is listed', async () => {
    ipc.answer('kms:keys', () => ({ keys: [], providerLists: false }))
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] })
    await submitWithKmsMode(wrapper)
    expect(byTestId('upload-problem')).toBeNull()
    expect(sentEncryption()).toEqual({ mode: 'sse-kms' })
  })

  it('asks for typed paths when the browser could not tell where dropped files are (web UI)', async () => {
    const wrapper = await open(
      { state: 'unknown', reason: 'The server does not report it.' },
      { droppedNames: ['a.pdf', 'b.jpg'] },
    )
    expect(byTestId('upload-web-note')?.textContent).toContain('a.pdf, b.jpg')
    expect(byTestId('upload-encryption-default')?.textContent).toContain('The server does not report it.')
    await submit(wrapper)
    expect(byTestId('upload-problem')?.textContent).toBe('Add at least one file or folder path.')
    /** Types the paths (and the target folder) as a user does, then presses Upload. */
    const typeAndSubmit = async (paths: string, prefix = '') => {
      for (const [id, value] of [
        ['upload-paths', paths],
        ['upload-prefix', prefix],
      ] as const) {
        const field = byTestId(id) as HTMLInputElement
        field.value = value
        field.dispatchEvent(new Event('input'))
      }
      await settle()
      await submit(wrapper)
    }
    // A relative path would be read from wherever the server was started: refused here, nothing sent.
    await typeAndSubmit('/srv/in/a.pdf\nin/b.jpg')
    expect(byTestId('upload-problem')?.textContent).toBe(
      'Give each path in full, from the root of its disk (e.g. /home/me/Photos): in/b.jpg',
    )
    await typeAndSubmit('/srv/in/a.pdf', '../../etc')
    expect(byTestId('upload-problem')?.textContent).toBe(
      "A folder in the bucket cannot be named '.' or '..': ../../etc",
    )
    expect(ipc.callsTo('queue:enqueue')).toEqual([])
    await typeAndSubmit('/srv/in/a.pdf\n\n"/srv/in/b.jpg"\n/srv/in/a.pdf')
    expect(ipc.callsTo('queue:enqueue')[0]?.[0].paths).toEqual(['/srv/in/a.pdf', '/srv/in/b.jpg'])
  })

  it('needs a customer key for SSE-C and sends its name', async () => {
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] })
    ;(byTestId('encryption-mode-sse-c') as HTMLInputElement).click()
    await settle()
    expect((byTestId('sse-c-select') as HTMLSelectElement).value).toBe('personal')
    await submit(wrapper)
    expect(sentEncryption()).toEqual({ mode: 'sse-c', customerKeyName: 'personal' })
  })

  it('shows what was skipped, and a refused enqueue in words', async () => {
    ipc.answer('queue:enqueue', () => ({
      jobIds: [7],
      skipped: [{ path: '/a/loop', why: 'link', reason: 'a symbolic link loop' }],
    }))
    const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] })
    await submit(wrapper)
    expect(byTestId('upload-skipped')?.textContent).toContain(
      '/a/loop: a symbolic link (links are not followed, so nothing outside the folder is uploaded)',
    )
    wrapper.unmount()
    ipc.fail('queue:enqueue', 'HTTPS_REQUIRED', 'SSE-KMS needs an HTTPS endpoint; nothing was sent.')
    const again = await open({ state: 'none' }, { initialPaths: ['/a'] })
    await submit(again)
    expect(byTestId('upload-error')?.textContent).toContain(
      'SSE-KMS needs an HTTPS endpoint; nothing was sent.',
    )
  })

  it.each([
    [
      'de',
      [
        '/a/link: eine symbolische Verknüpfung (Verknüpfungen werden nicht verfolgt, damit nichts außerhalb des Ordners hochgeladen wird)',
        '/a/fifo: keine reguläre Datei (Gerät, Socket oder Pipe)',
        '/a/locked: Zugriff verweigert',
        '/a/odd: nicht lesbar (EIO)',
        '/a/.obsignore: größer als 1 MiB, nicht gelesen',
      ],
      [
        'docs/a/x.txt: dort ist bereits ein Objekt dieses Namens',
        'docs/a/y.txt: dort ist bereits derselbe Inhalt',
      ],
    ],
    [
      'zh-CN',
      [
        '/a/link: 符号链接（不跟随链接，因此不会上传文件夹以外的内容）',
        '/a/fifo: 不是普通文件（设备、套接字或管道）',
        '/a/locked: 权限被拒绝',
        '/a/odd: 无法读取（EIO）',
        '/a/.obsignore: 大于 1 MiB，未读取',
      ],
      ['docs/a/x.txt: 已有同名对象', 'docs/a/y.txt: 已有相同内容'],
    ],
  ] as const)(
    'words why a dropped folder had entries skipped or kept in %s, not in main English',
    async (locale, skipped, kept) => {
      ipc.answer('queue:enqueue', () => ({
        jobIds: [7],
        skipped: [
          { path: '/a/link', why: 'link', reason: 'a symbolic link (links are not followed)' },
          { path: '/a/fifo', why: 'special', reason: 'not a regular file (device, socket or pipe)' },
          { path: '/a/locked', why: 'permission', reason: 'permission denied' },
          { path: '/a/odd', why: 'unreadable', errno: 'EIO', reason: 'cannot be read (EIO)' },
          { path: '/a/.obsignore', why: 'tooLarge', reason: 'larger than 1 MiB, not read' },
        ],
        kept: [
          {
            path: '/a/x.txt',
            key: 'docs/a/x.txt',
            why: 'exists',
            reason: 'an object of that name is already there',
          },
          {
            path: '/a/y.txt',
            key: 'docs/a/y.txt',
            why: 'sameContent',
            reason: 'the same content is already there',
          },
        ],
      }))
      setLocale(locale)
      try {
        const wrapper = await open({ state: 'none' }, { initialPaths: ['/a'] })
        await submit(wrapper)
        const lines = (id: string) =>
          [...(byTestId(id)?.querySelectorAll('li') ?? [])].map((li) => li.textContent)
        expect(lines('upload-skipped')).toEqual(skipped)
        expect(lines('upload-kept')).toEqual(kept)
      } finally {
        setLocale('en')
      }
    },
  )

  it('closes on Escape', async () => {
    const wrapper = await open({ state: 'none' })
    await wrapper.get('dialog').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('close')).toHaveLength(1)
  })
})
