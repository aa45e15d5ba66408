// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StatusSummary } from '../../preload/contract/queue-models'
import App from '../../renderer/src/App.vue'
import { IpcCallError } from '../../renderer/src/ipc/client'
import { $, createFakeIpc, type FakeIpc, mountWithIpc, settle, typeInto } from './renderer-fake-ipc'
import { account, presets, status } from './renderer-fixtures'

function baseIpc(): FakeIpc {
  return createFakeIpc()
    .answer('app:info', () => ({
      name: 'OBS Sync',
      version: '1.2.3',
      host: 'web',
      platform: 'linux-x64',
      nodeVersion: '20',
      dataDir: '/d',
    }))
    .answer('accounts:presets', () => presets)
    .answer('status:get', () => status())
    .answer('queue:page', () => ({
      jobs: [],
      counts: { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 },
    }))
    .answer('queue:problem-groups', () => ({ groups: [], more: { groups: 0, jobs: 0 } }))
    .answer('queue:history', () => ({ total: { uploads: 0, bytes: 0 }, days: [], keepDoneDays: 7 }))
    .answer('sync:list', () => [])
    .answer('activity:recent', () => [])
    .answer('storage:buckets', () => [{ name: 'bucket-a' }])
}

/** Mounts the app with one account and the given status summary; answers on `ipc` (baseIpc unless given). */
async function mountWithStatus(summary: Partial<StatusSummary>, ipc = baseIpc()): Promise<FakeIpc> {
  ipc.answer('accounts:list', () => [account()]).answer('status:get', () => status(summary))
  mountWithIpc(App, { ipc })
  await settle()
  return ipc
}

/** First run: mounts the app, types an access key pair into the add-account form and saves it. */
async function saveFirstAccount(ipc: FakeIpc, settleRounds?: number): Promise<void> {
  mountWithIpc(App, { ipc })
  await settle()
  await typeInto('account-access-key', 'AKIA1')
  await typeInto('account-secret-key', 's3cret')
  $('account-save')!.click()
  await settle(settleRounds)
}

describe('app shell', () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => {
    document.body.innerHTML = ''
  })

  describe('first run', () => {
    it('opens on the add-account form, filled from the first provider preset', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [])
      mountWithIpc(App, { ipc })
      await settle()
      expect($('account-form')).not.toBeNull()
      expect(document.body.textContent).toContain('Welcome to OBS Sync')
      expect(($('account-endpoint') as HTMLInputElement).value).toBe(
        'https://obs.cn-north-4.myhuaweicloud.com',
      )
      expect(($('account-name') as HTMLInputElement).value).toBe('Huawei Cloud OBS')
    })

    it('follows the preset: provider sets region, addressing and endpoint; the region fills the template', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [])
      mountWithIpc(App, { ipc })
      await settle()
      const preset = $('account-preset') as HTMLSelectElement
      preset.value = 'otc-obs'
      preset.dispatchEvent(new Event('change'))
      await settle()
      expect(($('account-region') as HTMLInputElement).value).toBe('eu-de')
      await typeInto('account-region', 'eu-nl')
      expect(($('account-endpoint') as HTMLInputElement).value).toBe('https://obs.eu-nl.otc.t-systems.com')
      preset.value = 'minio'
      preset.dispatchEvent(new Event('change'))
      await settle()
      expect(($('account-endpoint') as HTMLInputElement).value).toBe('')
      expect(($('account-addressing-path') as HTMLInputElement).checked).toBe(true)
      expect($('account-project-id')).toBeNull()
    })

    it('says what is missing before sending anything', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [])
      mountWithIpc(App, { ipc })
      await settle()
      $('account-save')!.click()
      await settle()
      expect($('account-problem')?.textContent).toBe('Enter the access key ID.')
      expect(ipc.callsTo('accounts:add')).toEqual([])
    })

    it('saves the account (secret on its way to the keychain), tests the connection and shows the result', async () => {
      const ipc = baseIpc()
        .answer('accounts:list', () => [])
        .answer('accounts:add', (input) => account({ id: 'new-1', name: input.name }))
        .answer('accounts:test', () => ({ bucketCount: 3, latencyMs: 84.4 }))
      await saveFirstAccount(ipc)
      expect(ipc.callsTo('accounts:add')[0]?.[0]).toMatchObject({
        name: 'Huawei Cloud OBS',
        provider: 'huawei-obs',
        endpoint: 'https://obs.cn-north-4.myhuaweicloud.com',
        accessKeyId: 'AKIA1',
        secretAccessKey: 's3cret',
      })
      expect(ipc.callsTo('accounts:test')).toEqual([['new-1']])
      expect($('account-test-result')?.textContent).toContain('Connected in 84 ms; 3 buckets visible.')
      expect(($('account-secret-key') as HTMLInputElement).value).toBe('') // not kept in the window
      $('account-done')!.click()
      await settle()
      expect($('browser-view')).not.toBeNull()
    })

    it('keeps the form and shows the reason in words when saving fails, even while the list flips', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [])
      ipc.answer('accounts:add', async () => {
        // main stores the account, fails to reach the keychain, and rolls back: the list flips twice
        ipc.emit('accounts:changed', [account({ id: 'tmp' })])
        await settle()
        ipc.emit('accounts:changed', [])
        await settle()
        throw new IpcCallError({
          code: 'KEYCHAIN_UNAVAILABLE',
          message: 'The OS keychain cannot be reached.',
        })
      })
      await saveFirstAccount(ipc, 20)
      expect($('account-error')?.textContent).toContain('The OS keychain cannot be reached.')
      expect($('account-error')?.textContent).not.toContain('KEYCHAIN_UNAVAILABLE')
      expect(($('account-access-key') as HTMLInputElement).value).toBe('AKIA1')
    })

    it('shows a failed connection test in words, with what to do', async () => {
      const ipc = baseIpc()
        .answer('accounts:list', () => [])
        .answer('accounts:add', () => account({ id: 'new-1' }))
        .fail('accounts:test', 'BAD_CREDENTIALS', 'The server refused the access key AKIA1.')
      await saveFirstAccount(ipc)
      const error = $('account-test-error')?.textContent ?? ''
      expect(error).toContain('The account is saved, but the connection test failed.')
      expect(error).toContain('The server refused the access key AKIA1.')
      expect(error).toContain("Check the account's access key and secret key.")
    })
  })

  describe('with accounts', () => {
    it('lists accounts with their endpoint, shows the version, and opens the bucket browser', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [
        account(),
        account({ id: 'acc-2', name: 'Lab', endpoint: 'https://lab:9000' }),
      ])
      mountWithIpc(App, { ipc })
      await settle()
      expect($('account-list')?.textContent).toContain('Work OBS')
      expect($('account-list')?.textContent).toContain('https://lab:9000')
      expect($('app-info')?.textContent).toMatch(/Version 1\.2\.3 · web UI/)
      expect($('bucket-item')?.textContent).toContain('bucket-a')
      expect(ipc.callsTo('storage:buckets')).toEqual([['acc-1']])
      document.querySelectorAll<HTMLElement>('[data-testid="account-item"]')[1]!.click()
      await settle()
      expect(ipc.callsTo('storage:buckets')).toEqual([['acc-1'], ['acc-2']])
      expect(document.querySelectorAll('[data-testid="account-item"]')[1]?.getAttribute('aria-current')).toBe(
        'true',
      )
    })

    it('switches views from the navigation and marks the current one', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [account()])
      mountWithIpc(App, { ipc })
      await settle()
      for (const [nav, view] of [
        ['nav-transfers', 'transfers-view'],
        ['nav-folders', 'folders-view'],
        ['nav-activity', 'activity-view'],
        ['nav-browser', 'browser-view'],
      ]) {
        $(nav!)!.click()
        await settle()
        expect($(view!)).not.toBeNull()
        expect($(nav!)?.getAttribute('aria-current')).toBe('page')
      }
    })

    it('opens the account settings with the stored values and never shows the secret', async () => {
      const ipc = baseIpc().answer('accounts:list', () => [account({ projectId: 'proj-9' })])
      mountWithIpc(App, { ipc })
      await settle()
      $('account-settings')!.click()
      await settle()
      expect(($('account-endpoint') as HTMLInputElement).value).toBe('https://obs.eu-de.otc.t-systems.com')
      expect(($('account-project-id') as HTMLInputElement).value).toBe('proj-9')
      expect(($('account-secret-key') as HTMLInputElement).value).toBe('')
      expect(($('account-secret-key') as HTMLInputElement).placeholder).toContain('keep the stored one')
    })

    it('idle with uploads paused by the user: the paused count, not "nothing to do"', async () => {
      await mountWithStatus({ state: 'idle', paused: 1 })
      expect($('status-state')?.textContent).toBe('Idle')
      expect($('status-line')?.textContent).toBe('1 paused')
    })

    it('offline: the status bar says so, counts down to the next retry and gives the reason', async () => {
      await mountWithStatus({
        state: 'offline',
        queued: 3,
        offlineSince: new Date(Date.now() - 30_000).toISOString(),
        retryAt: new Date(Date.now() + 8_500).toISOString(),
        offlineReason: 'The connection to https://rgw stalled: the server did not answer within 20 s.',
      })
      expect($('status-state')?.textContent).toBe('Offline')
      expect($('status-line')?.textContent).toMatch(/^retrying in (9|8) s · no connection since/)
      expect($('status-line')?.getAttribute('title')).toContain('did not answer within 20 s')
    })

    it.each([
      [
        'Disk full: The disk is full',
        { code: 'DISK_FULL', message: 'The disk is full: OBS Sync could not save its data.' },
      ],
      ['Offline: The connection', { code: 'NETWORK', message: 'The connection to https://rgw stalled.' }],
      [
        'Keychain unavailable: The OS keychain',
        { code: 'KEYCHAIN_UNAVAILABLE', message: 'The OS keychain cannot be reached.' },
      ],
      ['Bad credentials: The secret', { code: 'BAD_CREDENTIALS', message: 'The secret of "lab" is wrong.' }],
      [
        'KMS key problem (20 uploads): KMS key "nokey-9"',
        { code: 'KMS_KEY_NOT_FOUND', message: 'KMS key "nokey-9" does not exist.', jobs: 20 },
      ],
    ] as const)(
      'the status bar names the cause ("%s"), not only a count; a click opens the transfers',
      async (words, cause) => {
        await mountWithStatus({ state: 'error', failed: 1, causes: [cause] })
        expect($('status-cause')?.textContent?.trim()).toMatch(
          new RegExp(`^${words.replace(/[()]/g, '\\$&')}`),
        )
        expect($('status-cause')?.getAttribute('title')).toContain(cause.message)
        $('status-cause')!.click()
        await settle()
        expect($('nav-transfers')?.getAttribute('aria-current')).toBe('page')
      },
    )

    it('the status bar speaks the language the user chose (German, then Chinese from another window)', async () => {
      const kms = {
        code: 'KMS_KEY_NOT_FOUND' as const,
        message: 'KMS key "nokey-9" does not exist.',
        params: { kmsKey: 'nokey-9' },
        jobs: 20,
      }
      const ipc = await mountWithStatus(
        { state: 'syncing', running: 2, queued: 5, failed: 1, etaSeconds: 75, causes: [kms, kms] },
        baseIpc().answer('settings:locale', () => 'de'),
      )
      try {
        expect($('status-state')?.textContent).toBe('Lädt hoch')
        expect($('status-cause')?.textContent?.trim()).toBe(
          'Problem mit KMS-Schlüssel (20 Uploads): Den KMS-Schlüssel „nokey-9“ gibt es in diesem Konto und dieser Region nicht.',
        )
        expect($('status-more-causes')?.textContent?.trim()).toBe('+1 weitere')
        expect($('status-line')?.textContent).toBe(
          '2 Uploads laufen · noch etwa 1 Min., 15 Sek. · 5 in der Warteschlange',
        )
        expect($('status-failed')?.textContent?.trim()).toBe('1 Upload fehlgeschlagen')
        ipc.emit('settings:locale', 'zh-CN')
        await settle()
        expect($('status-state')?.textContent).toBe('正在上传')
        expect($('status-cause')?.textContent?.trim()).toBe(
          'KMS 密钥问题（20 个上传）：KMS 密钥“nokey-9”在此账号和区域中不存在。',
        )
        expect($('status-line')?.textContent).toBe('2 个上传进行中 · 约剩 1分钟15秒 · 5 个排队中')
      } finally {
        ipc.emit('settings:locale', 'en')
      }
    })

    it('the status bar names a missing watched folder (opens the folders), and counts the other causes', async () => {
      const missing = {
        code: 'FOLDER_MISSING' as const,
        message: 'The watched folder /home/me/Photos is missing.',
        folder: '/home/me/Photos',
      }
      const disk = { code: 'DISK_FULL' as const, message: 'The disk is full.' }
      await mountWithStatus({ state: 'error', causes: [missing, disk] })
      expect($('status-cause')?.textContent?.trim()).toBe(`Folder missing: ${missing.message}`)
      expect($('status-more-causes')?.textContent?.trim()).toBe('+1 more')
      expect($('status-more-causes')?.getAttribute('title')).toContain('Disk full: The disk is full.')
      $('status-cause')!.click()
      await settle()
      expect($('nav-folders')?.getAttribute('aria-current')).toBe('page')
    })

    it('shows the status summary, and a sentence when a channel is not implemented yet', async () => {
      await mountWithStatus({
        state: 'syncing',
        running: 2,
        queued: 5,
        failed: 1,
        bytesPerSecond: 2 * 1024 * 1024,
        etaSeconds: 75,
      })
      const bar = $('status-bar')?.textContent ?? ''
      expect(bar).toContain('Uploading')
      expect(bar).toContain('2 uploads running · 2.0 MB/s · about 1 min 15 sec left · 5 queued')
      expect($('status-failed')?.textContent).toContain('1 upload failed')
      // The count opens the failed uploads, not every one.
      $('status-failed')!.click()
      await settle()
      expect($('transfers-filter-failed')?.getAttribute('aria-pressed')).toBe('true')
      document.body.innerHTML = ''
      const broken = baseIpc()
        .answer('accounts:list', () => [account()])
        .fail('status:get', 'UNKNOWN_CHANNEL', '')
      broken.fail('queue:page', 'INTERNAL', 'Something went wrong inside OBS Sync. Details are in the log.')
      mountWithIpc(App, { ipc: broken })
      await settle()
      expect($('status-bar')?.textContent).toContain(
        'Status unavailable: This version of OBS Sync cannot do that yet.',
      )
      $('nav-transfers')!.click()
      await settle()
      expect($('transfers-error')?.textContent).toContain('Something went wrong inside OBS Sync.')
      expect(document.body.textContent).not.toMatch(/INTERNAL|UNKNOWN_CHANNEL|at \w+ \(/)
    })

    it('shows an error state with a retry when the accounts cannot be read', async () => {
      const ipc = baseIpc().fail('accounts:list', 'KEYCHAIN_LOCKED', 'The keychain is locked.')
      mountWithIpc(App, { ipc })
      await settle()
      expect($('app-error')?.textContent).toContain('The keychain is locked.')
      ipc.answer('accounts:list', () => [account()])
      $('app-error')!.querySelector('button')!.click()
      await settle()
      expect($('browser-view')).not.toBeNull()
    })
  })
})
