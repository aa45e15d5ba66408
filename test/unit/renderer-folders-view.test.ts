// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createActivityLog } from '../../main/core/sync/activity-log'
import ActivityView from '../../renderer/src/components/activity/ActivityView.vue'
import WatchedFoldersView from '../../renderer/src/components/folders/WatchedFoldersView.vue'
import { setLocale } from '../../renderer/src/i18n'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useActivityStore } from '../../renderer/src/stores/activity'
import { useSyncStore } from '../../renderer/src/stores/sync'
import {
  $,
  createFakeIpc,
  type FakeIpc,
  mountWithIpc,
  settle,
  storeHarness,
  typeInto,
} from './renderer-fake-ipc'
import { account, defaultKey, pair, pairStatus } from './renderer-fixtures'

describe('watched folders view', () => {
  let ipc: FakeIpc
  beforeEach(() => {
    ipc = createFakeIpc()
      .answer('storage:buckets', () => [{ name: 'bucket-a' }, { name: 'bucket-b' }])
      .answer('kms:keys', () => ({ keys: [defaultKey], providerLists: true }))
      .answer('sse-c:list', () => [])
      .answer('activity:recent', () => [
        { at: '2026-01-01T10:00:00Z', level: 'info', message: 'Uploaded scans/a.pdf', syncPairId: 'pair-1' },
      ])
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  async function show(entries: { pair: ReturnType<typeof pair>; status: ReturnType<typeof pairStatus> }[]) {
    ipc.answer('sync:list', () => entries)
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [account()]
    await useSyncStore().load()
    await useActivityStore().load()
    const { wrapper } = mountWithIpc(WatchedFoldersView, { ipc, pinia })
    await settle()
    return wrapper
  }

  it('lists folders with their status, rule, last activity and an error in words', async () => {
    const wrapper = await show([
      {
        pair: pair({ encryption: { mode: 'sse-kms' } }),
        status: pairStatus({
          state: 'error',
          pendingFiles: 2,
          lastActivityAt: new Date().toISOString(),
          error: { code: 'ACCESS_DENIED', message: 'Writing to bucket-a was denied.' },
        }),
      },
    ])
    const row = wrapper.get('[data-testid="sync-pair-row"]')
    expect(row.get('[data-testid="sync-pair-state"]').text()).toBe('Needs attention')
    expect(row.text()).toContain('/home/ana/Scans')
    expect(row.text()).toContain('SSE-KMS with the default key')
    expect(row.text()).toContain('2 files pending')
    expect(row.get('[data-testid="sync-pair-last-activity"]').text()).toBe('Last activity just now')
    expect(row.text()).toContain('Uploaded scans/a.pdf')
    expect(row.get('[data-testid="sync-pair-error"]').text()).toBe('Writing to bucket-a was denied.')
  })

  it('pauses, resumes and removes (after a confirmation)', async () => {
    for (const c of ['sync:pause', 'sync:resume', 'sync:remove'] as const) ipc.answer(c, () => null)
    const wrapper = await show([
      { pair: pair(), status: pairStatus() },
      { pair: pair({ id: 'pair-2', paused: true }), status: pairStatus({ id: 'pair-2', state: 'paused' }) },
    ])
    const rows = wrapper.findAll('[data-testid="sync-pair-row"]')
    await rows[0]!.get('[data-testid="sync-pair-pause"]').trigger('click')
    await rows[1]!.get('[data-testid="sync-pair-resume"]').trigger('click')
    await rows[0]!.get('[data-testid="sync-pair-remove"]').trigger('click')
    expect(ipc.callsTo('sync:remove')).toEqual([])
    expect(rows[0]!.get('[data-testid="sync-pair-remove"]').text()).toBe('Really stop watching?')
    await rows[0]!.get('[data-testid="sync-pair-remove"]').trigger('click')
    await settle()
    expect(
      ipc.calls
        .filter((c) => /sync:(pause|resume|remove)/.test(c.channel))
        .map((c) => [c.channel, ...c.args]),
    ).toEqual([
      ['sync:pause', 'pair-1'],
      ['sync:resume', 'pair-2'],
      ['sync:remove', 'pair-1'],
    ])
  })

  it('a missing folder: the "Folder missing" badge, the reason and what to do as two sentences, said once', async () => {
    const reason =
      'The watched folder /home/ana/Scans is missing (deleted, renamed or its disk unmounted). Nothing is uploaded or deleted remotely until it is back.'
    ipc.answer('activity:recent', () => [
      { at: '2026-01-01T10:00:00Z', level: 'warning', message: reason, syncPairId: 'pair-1' },
    ])
    const wrapper = await show([
      {
        pair: pair(),
        status: pairStatus({ state: 'missing', error: { code: 'FOLDER_MISSING', message: reason } }),
      },
    ])
    const row = wrapper.get('[data-testid="sync-pair-row"]')
    expect(row.attributes('data-state')).toBe('missing')
    expect(row.get('[data-testid="sync-pair-state"]').text()).toBe('Folder missing')
    // Seen in Chromium: "...until it is back.Put the folder back" (no space), and the reason a second time above it.
    expect(row.get('[data-testid="sync-pair-error"]').element.textContent?.trim()).toBe(
      `${reason} Put the folder back (or mount its disk again): syncing resumes by itself.`,
    )
    expect(row.text().split(reason).length - 1).toBe(1)
  })

  it('mirror deletions held by the safety cap are shown with the reason and confirmed by a button', async () => {
    ipc.answer('sync:confirm-deletions', () => null)
    const reason = 'Refusing to delete 40 of 50 remote files (80%, more than the 20% safety cap) in one pass.'
    const wrapper = await show([
      {
        pair: pair({ mode: 'mirror', mirrorDeleteCapPercent: 20 }),
        status: pairStatus({
          state: 'error',
          heldDeletions: 40,
          error: { code: 'DELETIONS_HELD', message: reason },
        }),
      },
    ])
    const row = wrapper.get('[data-testid="sync-pair-row"]')
    expect(row.get('[data-testid="sync-pair-error"]').text()).toContain('Refusing to delete 40 of 50')
    const confirm = row.get('[data-testid="sync-pair-confirm-deletions"]')
    expect(confirm.text()).toBe('Delete 40 remote files')
    await confirm.trigger('click')
    await settle()
    expect(ipc.callsTo('sync:confirm-deletions')).toEqual([['pair-1']])
  })

  it('adds a folder: path, account, bucket, prefix, encryption rule and mirror mode with its delete cap', async () => {
    ipc.answer('sync:add', (input) => ({ ...input, id: 'pair-9', paused: false }))
    const wrapper = await show([])
    expect($('folders-empty')?.textContent).toContain('No watched folders')
    await wrapper.get('[data-testid="folder-add"]').trigger('click')
    await settle()
    expect($('sync-form')).not.toBeNull()
    ;($('sync-save') as HTMLButtonElement).click() // the footer button submits the form
    await settle()
    expect($('sync-problem')?.textContent).toBe('Type the local folder to watch.')
    await typeInto('sync-local-path', '/home/ana/Projects')
    await typeInto('sync-bucket', 'bucket-b')
    await typeInto('sync-prefix', 'projects')
    ;($('encryption-mode-sse-obs') as HTMLInputElement).click()
    ;($('sync-mode-mirror') as HTMLInputElement).click()
    await settle()
    await typeInto('sync-delete-cap', '5')
    ;($('sync-save') as HTMLButtonElement).click()
    await settle()
    expect(ipc.callsTo('sync:add')).toEqual([
      [
        {
          localPath: '/home/ana/Projects',
          accountId: 'acc-1',
          bucket: 'bucket-b',
          prefix: 'projects/',
          encryption: { mode: 'sse-obs' },
          mode: 'mirror',
          mirrorDeleteCapPercent: 5,
        },
      ],
    ])
    expect($('sync-form')).toBeNull()
  })

  it('edits a folder with its current values, leaving the rule at the bucket default', async () => {
    ipc.answer('sync:update', (id, input) => ({ ...input, id, paused: false }))
    const wrapper = await show([{ pair: pair(), status: pairStatus() }])
    await wrapper.get('[data-testid="sync-pair-edit"]').trigger('click')
    await settle()
    expect(($('sync-local-path') as HTMLInputElement).value).toBe('/home/ana/Scans')
    expect(($('encryption-mode-default') as HTMLInputElement).checked).toBe(true)
    ;($('sync-save') as HTMLButtonElement).click()
    await settle()
    expect(ipc.callsTo('sync:update')[0]).toEqual([
      'pair-1',
      {
        localPath: '/home/ana/Scans',
        accountId: 'acc-1',
        bucket: 'bucket-a',
        prefix: 'scans/',
        encryption: undefined,
        mode: 'upload-only',
        mirrorDeleteCapPercent: 10,
      },
    ])
  })

  it('keeps the form open with the reason when saving fails', async () => {
    ipc.fail('sync:add', 'INVALID_ARGUMENT', 'The folder /nope does not exist.')
    const wrapper = await show([])
    await wrapper.get('[data-testid="folder-add"]').trigger('click')
    await settle()
    await typeInto('sync-local-path', '/nope')
    await typeInto('sync-bucket', 'bucket-a')
    ;($('sync-save') as HTMLButtonElement).click()
    await settle()
    expect($('sync-error')?.textContent).toContain('The folder /nope does not exist.')
  })
})

describe('activity view', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows lines newest first, filters by level, and has an empty state', async () => {
    const ipc = createFakeIpc()
      .answer('activity:recent', () => [
        { at: '2026-01-01T10:00:00Z', level: 'info', message: 'first' },
        { at: '2026-01-01T11:00:00Z', level: 'error', message: 'broken' },
      ])
      .answer('sync:list', () => [])
    const { pinia } = storeHarness(ipc)
    await useActivityStore().load()
    const { wrapper } = mountWithIpc(ActivityView, { ipc, pinia })
    await settle()
    expect(wrapper.findAll('[data-testid="activity-entry"]').map((e) => e.text())).toEqual([
      expect.stringContaining('broken'),
      expect.stringContaining('first'),
    ])
    await wrapper.get('[data-testid="activity-level"]').setValue('error')
    expect(wrapper.findAll('[data-testid="activity-entry"]')).toHaveLength(1)
    useActivityStore().entries = []
    await settle()
    expect(wrapper.get('[data-testid="activity-empty"]').text()).toContain('No activity yet')
  })

  it('lines main sends as data are worded in the window language; others stay main’s sentence', async () => {
    const activity = createActivityLog(() => {})
    activity.uploadFinished({ id: 1, bucket: 'b', key: 'photos/a.jpg', syncPairId: undefined }, 'done')
    activity.uploadFinished(
      {
        id: 2,
        bucket: 'b',
        key: 'photos/b.jpg',
        syncPairId: undefined,
        error: { code: 'NO_SUCH_BUCKET', message: 'The bucket "b" does not exist.', params: { bucket: 'b' } },
      },
      'failed',
    )
    activity.add('warning', 'photos/x.tmp is skipped: a special file.')
    const ipc = createFakeIpc()
      .answer('activity:recent', () => activity.recent())
      .answer('sync:list', () => [])
    const { pinia } = storeHarness(ipc)
    await useActivityStore().load()
    const { wrapper } = mountWithIpc(ActivityView, { ipc, pinia })
    await settle()
    const lines = () => wrapper.findAll('[data-testid="activity-entry"] .message').map((e) => e.text())
    const linesIn = async (locale: Parameters<typeof setLocale>[0]) => {
      setLocale(locale)
      await settle()
      return lines()
    }
    expect(lines()).toEqual([
      'photos/x.tmp is skipped: a special file.',
      'photos/b.jpg: The bucket "b" does not exist.',
      'Uploaded b/photos/a.jpg',
    ])
    try {
      expect(await linesIn('de')).toEqual([
        'photos/x.tmp is skipped: a special file.',
        'photos/b.jpg: Den Bucket „b“ gibt es nicht.',
        'b/photos/a.jpg hochgeladen',
      ])
      expect((await linesIn('zh-CN'))[2]).toBe('已上传 b/photos/a.jpg')
    } finally {
      setLocale('en')
    }
  })
})
