// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import type { IpcError } from '../../preload/contract/errors'
import TransfersView from '../../renderer/src/components/transfers/TransfersView.vue'
import { setLocale } from '../../renderer/src/i18n'
import { IpcCallError } from '../../renderer/src/ipc/client'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { useTransfersStore } from '../../renderer/src/stores/transfers'
import { handlerDepsStub } from '../support/handler-deps-stub'
import { type FakeIpc, mountWithIpc, settle, storeHarness, withFakeIpcAndLayout } from './renderer-fake-ipc'
import { job } from './renderer-fixtures'
import { answerQueue, answerQueueActions, problemGroup } from './renderer-queue-fake'

describe('transfers view', () => {
  let ipc: FakeIpc
  withFakeIpcAndLayout(800, (fresh) => {
    ipc = answerQueueActions(fresh)
  })

  async function show(jobs: ReturnType<typeof job>[], filter: 'all' | 'failed' = 'all') {
    answerQueue(ipc, () => jobs)
    const { pinia } = storeHarness(ipc)
    const transfers = useTransfersStore()
    transfers.follow()
    await transfers.setFilter(filter)
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    return wrapper
  }

  const actions = () =>
    ipc.calls
      .filter(
        (c) =>
          ![
            'queue:page',
            'queue:problem-groups',
            'queue:history',
            'queue:request-limit',
            'queue:bandwidth-limit',
          ].includes(c.channel),
      )
      .map((c) => [c.channel, ...c.args])
  const row = (wrapper: Awaited<ReturnType<typeof show>>, id: number) =>
    wrapper.get(`[data-testid="transfer-row"][data-job-id="${id}"]`)

  it('shows progress, rate and time left of a running job, live from progress events', async () => {
    const wrapper = await show([
      job({ id: 1, state: 'running', size: 10 * 1024 * 1024, key: 'big/video.mp4' }),
    ])
    ipc.emit('queue:progress', [
      {
        jobId: 1,
        bytesDone: 5 * 1024 * 1024,
        size: 10 * 1024 * 1024,
        bytesPerSecond: 1024 * 1024,
        etaSeconds: 5,
      },
    ])
    await settle()
    const r = row(wrapper, 1)
    expect(r.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('50')
    expect(r.get('[data-testid="transfer-rate"]').text()).toBe('1.0 MB/s')
    expect(r.get('[data-testid="transfer-eta"]').text()).toBe('5 sec left')
    expect(r.text()).toContain('5.0 MB of 10.0 MB')
    expect(r.text()).toContain('video.mp4')
  })

  it('shows a failed job with its reason in words, and a waiting retry with its time', async () => {
    const wrapper = await show(
      [
        job({
          id: 2,
          state: 'failed',
          error: {
            code: 'KMS_KEY_DISABLED',
            message: 'The KMS key old-backups is disabled. Enable it or choose another key.',
          },
        }),
        job({
          id: 3,
          state: 'queued',
          attempts: 1,
          error: { code: 'NETWORK', message: 'The connection was reset.' },
        }),
      ],
      'failed',
    )
    const failed = row(wrapper, 2).get('[data-testid="transfer-error"]')
    expect(failed.text()).toBe('The KMS key old-backups is disabled. Enable it or choose another key.')
    // The line may be cut off on a narrow window: its tooltip holds the whole reason.
    expect(failed.attributes('title')).toBe(failed.text())
    await wrapper.get('[data-testid="transfers-filter-active"]').trigger('click')
    await settle()
    expect(row(wrapper, 3).get('[data-testid="transfer-error"]').text()).toContain(
      'Will try again (attempt 2): The connection was reset.',
    )
    expect(wrapper.text()).not.toContain('KMS_KEY_DISABLED')
  })

  it('a held job says it waits for the cause to be fixed; a cancelled one does not promise another try', async () => {
    const kms = {
      code: 'KMS_KEY_NOT_FOUND' as const,
      message: 'KMS key "nokey-9" does not exist on this server.',
    }
    const wrapper = await show([
      job({ id: 4, state: 'paused', attempts: 0, error: kms }),
      job({ id: 5, state: 'cancelled', attempts: 1, error: kms }),
    ])
    await wrapper.get('[data-testid="transfers-filter-active"]').trigger('click')
    await settle()
    expect(row(wrapper, 4).get('[data-testid="transfer-error"]').text()).toBe(
      'Held until the cause is fixed: KMS key "nokey-9" does not exist on this server.',
    )
    await wrapper.get('[data-testid="transfers-filter-finished"]').trigger('click')
    await settle()
    expect(row(wrapper, 5).find('[data-testid="transfer-error"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('Will try again')
  })

  it('offers the actions that fit each state and sends them for that job', async () => {
    const wrapper = await show([
      job({ id: 1, state: 'running' }),
      job({ id: 2, state: 'paused' }),
      job({ id: 3, state: 'cancelled' }),
      job({ id: 4, state: 'done' }),
    ])
    const buttons = (id: number) =>
      row(wrapper, id)
        .findAll('button')
        .map((b) => b.attributes('data-testid'))
    expect(buttons(1)).toEqual(['transfer-pause', 'transfer-cancel'])
    expect(buttons(2)).toEqual(['transfer-resume', 'transfer-cancel'])
    expect(buttons(3)).toEqual(['transfer-retry'])
    expect(buttons(4)).toEqual([])
    await row(wrapper, 1).get('[data-testid="transfer-pause"]').trigger('click')
    await row(wrapper, 2).get('[data-testid="transfer-resume"]').trigger('click')
    await row(wrapper, 3).get('[data-testid="transfer-retry"]').trigger('click')
    await row(wrapper, 1).get('[data-testid="transfer-cancel"]').trigger('click')
    await settle()
    expect(actions()).toEqual([
      ['queue:pause', 1],
      ['queue:resume', 2],
      ['queue:retry', 3],
      ['queue:cancel', 1],
    ])
  })

  it('acts on all jobs and clears the finished and the failed ones', async () => {
    const wrapper = await show([
      job({ id: 1, state: 'running' }),
      job({ id: 2, state: 'failed' }),
      job({ id: 3, state: 'done' }),
    ])
    for (const id of [
      'transfers-pause-all',
      'transfers-retry-all',
      'transfers-cancel-all',
      'transfers-clear-finished',
      'transfers-clear-failed',
    ]) {
      await wrapper.get(`[data-testid="${id}"]`).trigger('click')
    }
    expect(wrapper.get('[data-testid="transfers-resume-all"]').attributes('disabled')).toBeDefined() // nothing paused
    await settle()
    expect(actions()).toEqual([
      ['queue:pause', 'all'],
      ['queue:retry', 'all'],
      ['queue:cancel', 'all'],
      ['queue:clear-finished'],
      ['queue:clear-failed'],
    ])
  })

  it('"Cancel all" works when only failed jobs are left (it was disabled then)', async () => {
    const wrapper = await show([job({ id: 2, state: 'failed' }), job({ id: 3, state: 'done' })])
    const cancelAll = wrapper.get('[data-testid="transfers-cancel-all"]')
    expect(cancelAll.attributes('disabled')).toBeUndefined()
    await cancelAll.trigger('click')
    await settle()
    expect(actions()).toEqual([['queue:cancel', 'all']])
  })

  it('shows more on demand: the next page of the queue, not all of it', async () => {
    const jobs = Array.from({ length: 250 }, (_, i) => job({ id: i + 1, state: 'done', key: `f/${i + 1}` }))
    const wrapper = await show(jobs)
    expect(useTransfersStore().jobs).toHaveLength(100)
    await wrapper.get('[data-testid="transfers-show-more"]').trigger('click')
    await settle()
    expect(useTransfersStore().jobs).toHaveLength(200)
    await wrapper.get('[data-testid="transfers-show-more"]').trigger('click')
    await settle()
    expect(useTransfersStore().jobs).toHaveLength(250)
    expect(wrapper.find('[data-testid="transfers-show-more"]').exists()).toBe(false)
  })

  it('says how many uploads left the list for the history, and changes how long they stay', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'done' })], {
      history: { total: { uploads: 12_345, bytes: 3.2 * 1024 ** 3 }, keepDoneDays: 7 },
    })
    ipc.answer('queue:set-keep-done-days', (days) => ({
      total: { uploads: 12_346, bytes: 3.2 * 1024 ** 3 },
      days: [],
      keepDoneDays: days,
    }))
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="transfers-history"]').text()).toBe('12,345 uploaded earlier (3.2 GB)')
    await wrapper.get('[data-testid="transfers-keep-days"]').setValue('30')
    await settle()
    expect(ipc.callsTo('queue:set-keep-done-days')).toEqual([[30]])
    expect(wrapper.get('[data-testid="transfers-history"]').text()).toContain('12,346 uploaded earlier')
  })

  it('a narrowed view\'s "uploaded earlier" says in its tooltip what it leaves out (counted before it kept accounts)', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'done', accountId: 'acc-2' })], {
      history: {
        total: { uploads: 12, bytes: 1200 },
        keepDoneDays: 7,
        unattributed: { uploads: 4321, bytes: 1 },
      },
    })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().setScope({ accountId: 'acc-2' })
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    const figure = wrapper.get('[data-testid="transfers-history"]')
    expect(figure.text()).toBe('12 uploaded earlier (1.2 KB)')
    expect(figure.attributes('title')).toBe(
      'Finished uploads leave this list after 7 days and are counted here per day.\n' +
        'Uploads counted before the history kept accounts and folders (4,321) are only in the figure of all accounts and folders.',
    )
  })

  it('a narrowed view with only older uploads (counted before the history kept accounts) says so instead of nothing', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'done', accountId: 'acc-2' })], {
      history: {
        total: { uploads: 0, bytes: 0 },
        keepDoneDays: 7,
        unattributed: { uploads: 300, bytes: 4800 },
      },
    })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().setScope({ accountId: 'acc-2' })
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="transfers-history"]').text()).toBe(
      'None counted earlier here; 300 older uploads count only under all accounts and folders',
    )
  })

  it('a view with no uploads counted earlier at all shows no such line', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'done' })], {
      history: { total: { uploads: 0, bytes: 0 }, keepDoneDays: 7 },
    })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.find('[data-testid="transfers-history"]').exists()).toBe(false)
  })

  it('a refused request limit is worded by the rule it broke, in English and in German', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'queued' })])
    // The refusal exactly as the contract's dispatch sends it for 500 (its schema: whole numbers 1-128).
    const dispatch = createDispatch(createHandlers(handlerDepsStub({})))
    const refusals = new Map<number, IpcError>()
    // 1e20 is past 2^53, where zod also finds the number "not whole": the range is what the user broke.
    for (const typed of [500, 1e20]) {
      const answer = await dispatch('queue:set-request-limit', [typed])
      if (answer.ok) throw new Error(`${typed} was accepted`)
      refusals.set(typed, answer.error)
    }
    ipc.answer('queue:set-request-limit', (typed) => {
      throw new IpcCallError(refusals.get(typed) as IpcError)
    })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    const input = wrapper.get<HTMLInputElement>('[data-testid="transfers-request-limit"]')
    await input.setValue('500')
    await settle()
    // Not the channel name and argument position meant for raw clients.
    expect(wrapper.get('[data-testid="transfers-request-limit-error"]').text()).toContain(
      'Enter a number of at most 128.',
    )
    expect(wrapper.get('[data-testid="transfers-request-limit-error"]').text()).not.toContain(
      'queue:set-request-limit',
    )
    await input.setValue('100000000000000000000')
    await settle()
    expect(wrapper.get('[data-testid="transfers-request-limit-error"]').text()).toBe(
      'Enter a number of at most 128.',
    )
    setLocale('de')
    try {
      await input.setValue('500')
      await settle()
      expect(wrapper.get('[data-testid="transfers-request-limit-error"]').text()).toContain(
        'Geben Sie eine Zahl von höchstens 128 ein.',
      )
    } finally {
      setLocale('en')
    }
  })

  it('shows the request limit with what it does, saves a new one, and refuses a bad one in words', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'queued' })])
    // As the core answers: whole numbers 1-128, anything else refused and nothing changed.
    let limit = 16
    ipc.answer('queue:set-request-limit', (requests) => {
      if (!Number.isInteger(requests) || requests < 1 || requests > 128)
        throw new IpcCallError({
          code: 'INVALID_ARGUMENT',
          message: 'The request limit is at most 128 requests at a time',
        })
      limit = requests
      return { requests, saved: requests, fromCommandLine: false }
    })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    const input = wrapper.get<HTMLInputElement>('[data-testid="transfers-request-limit"]')
    expect(input.element.value).toBe('16')
    expect(wrapper.get('[data-testid="transfers-request-limit-hint"]').text()).toMatch(
      /requests the uploads keep in flight together \(1–128, default 64\)/,
    )
    await input.setValue('24')
    await settle()
    expect(ipc.callsTo('queue:set-request-limit')).toEqual([[24]])
    expect(limit).toBe(24)
    await input.setValue('500')
    await settle()
    const refusal = () => wrapper.find('[data-testid="transfers-request-limit-error"]')
    expect(refusal().text()).toContain('at most 128')
    expect(input.attributes('aria-invalid')).toBe('true')
    // The field shows the limit in force again.
    expect(input.element.value).toBe('24')
    expect(limit).toBe(24)
    // The user types a key: while it is the same text as before, the browser sends input and keydown but no
    // change (Chromium). Typing the limit in force clears the refusal; nothing to send.
    const retype = async (text: string) => {
      input.element.value = text
      await input.trigger('input')
      await input.trigger('keydown', { key: 'Enter' })
      await settle()
    }
    await retype('24')
    expect(refusal().exists()).toBe(false)
    expect(input.attributes('aria-invalid')).toBeUndefined()
    expect(ipc.callsTo('queue:set-request-limit')).toEqual([[24], [500]])
    // The refused value typed again is checked again (one request for Enter, none for leaving the field).
    await input.setValue('500')
    await settle()
    await retype('500')
    await input.trigger('blur')
    await settle()
    expect(ipc.callsTo('queue:set-request-limit')).toEqual([[24], [500], [500], [500]])
    expect(refusal().text()).toContain('at most 128')
  })

  it("says when this run's limit comes from --concurrency", async () => {
    answerQueue(ipc, () => [])
    ipc.answer('queue:request-limit', () => ({ requests: 8, saved: 16, fromCommandLine: true }))
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="transfers-request-limit-hint"]').text()).toContain(
      'This run uses 8 from --concurrency; saved: 16.',
    )
  })

  describe('the upload limit (before: only `--bandwidth` for one run, nothing to set in a window)', () => {
    /** The view over a core that checks limits as the contract does (whole KiB/s, 1 to 10,000,000, or null). */
    async function showLimit(initial: number | null, fromCommandLine = false) {
      answerQueue(ipc, () => [job({ id: 1, state: 'queued' })])
      const dispatch = createDispatch(createHandlers(handlerDepsStub({})))
      let limit = { kibPerSecond: initial, saved: fromCommandLine ? null : initial, fromCommandLine }
      ipc.answer('queue:bandwidth-limit', () => limit)
      ipc.answer('queue:set-bandwidth-limit', async (kib) => {
        // The contract's own check first (the stub's queue is never reached for a bad value).
        const checked = await dispatch('queue:set-bandwidth-limit', [kib])
        if (!checked.ok && checked.error.code === 'INVALID_ARGUMENT') throw new IpcCallError(checked.error)
        limit = { kibPerSecond: kib, saved: kib, fromCommandLine: false }
        return limit
      })
      const { pinia } = storeHarness(ipc)
      const transfers = useTransfersStore()
      transfers.follow()
      await transfers.load()
      const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
      await settle()
      const field = wrapper.get<HTMLInputElement>('[data-testid="transfers-bandwidth-limit"]')
      const refusal = () => wrapper.find('[data-testid="transfers-bandwidth-limit-error"]')
      const hint = () => wrapper.get('[data-testid="transfers-bandwidth-limit-hint"]').text()
      return { wrapper, field, refusal, hint, limit: () => limit }
    }

    /** Another window or `obs-sync settings` saved this limit: the queue:settings event every view hears. */
    const savedElsewhere = (kibPerSecond: number) =>
      ipc.emit('queue:settings', {
        requestLimit: { requests: 16, saved: 16, fromCommandLine: false },
        bandwidthLimit: { kibPerSecond, saved: kibPerSecond, fromCommandLine: false },
        keepDoneDays: 7,
      })

    it('none by default (an empty field); "1.5 MB/s" is saved as 1536 KiB/s; emptied is none again', async () => {
      const { field, hint, limit } = await showLimit(null)
      expect(field.element.value).toBe('')
      expect(field.attributes('placeholder')).toBe('none')
      expect(hint()).toContain('e.g. 5 MB/s or 512 KB/s; empty for no limit')
      await field.setValue('1.5 MB/s')
      await settle()
      expect(ipc.callsTo('queue:set-bandwidth-limit')).toEqual([[1536]])
      // 1,536 KiB/s is no whole MB/s: shown as the KB/s it is.
      expect(field.element.value).toBe('1536 KB/s')
      await field.setValue('')
      await settle()
      expect(ipc.callsTo('queue:set-bandwidth-limit')).toEqual([[1536], [null]])
      expect(limit().kibPerSecond).toBeNull()
      expect(field.element.value).toBe('')
    })

    it('reads the units people type: 5M, 512 kb, 2 GB/s, a bare number as KB/s (the CLI unit), a decimal comma', async () => {
      const { field } = await showLimit(null)
      for (const typed of ['5M', '512 kb', '2 GB/s', '300', '1,5 MB/s', ' 7 MiB/s ']) {
        await field.setValue(typed)
        await settle()
      }
      expect(ipc.callsTo('queue:set-bandwidth-limit').map(([kib]) => kib)).toEqual([
        5120,
        512,
        2 * 1024 * 1024,
        300,
        1536,
        7168,
      ])
      expect(field.element.value).toBe('7 MB/s')
      // Typing the limit in force again sends nothing.
      await field.setValue('7168 KB/s')
      await settle()
      expect(ipc.callsTo('queue:set-bandwidth-limit')).toHaveLength(6)
    })

    it('refuses 0, a fraction of a KB/s, too much, a grouped number and what is no rate, in words; nothing is sent', async () => {
      const { field, refusal, limit } = await showLimit(2048)
      expect(field.element.value).toBe('2 MB/s')
      for (const [typed, words] of [
        ['0', 'The upload limit is at least 1 KB/s; leave the field empty for no limit.'],
        ['-3 MB/s', 'The upload limit is at least 1 KB/s; leave the field empty for no limit.'],
        ['2.5 KB/s', 'Whole KB/s only, e.g. 1536 KB/s, or 1.5 MB/s.'],
        ['20000 MB/s', 'The upload limit is at most 9.5 GB/s.'],
        // Before: read as 1 KB/s, without a word.
        ['1,000', 'Write the number without a thousands separator, e.g. 1000 KB/s or 1.5 MB/s.'],
        ['fast', 'Enter a rate such as 5 MB/s or 512 KB/s, or nothing for no limit.'],
        ['10 Mbit', 'Enter a rate such as 5 MB/s or 512 KB/s, or nothing for no limit.'],
      ] as const) {
        await field.setValue(typed)
        await settle()
        expect(refusal().text(), typed).toBe(words)
        expect(field.attributes('aria-invalid')).toBe('true')
        // The refused text stays, marked: put back to 2 MB/s, the message read as if 2 MB/s were refused.
        expect(field.element.value).toBe(typed)
      }
      expect(limit().kibPerSecond).toBe(2048)
      expect(ipc.callsTo('queue:set-bandwidth-limit')).toEqual([])
      // Escape gives the edit up: the limit in force again, nothing refused.
      field.element.value = '3 MB/s'
      await field.trigger('input')
      await field.trigger('keydown', { key: 'Escape' })
      await settle()
      expect(field.element.value).toBe('2 MB/s')
      expect(refusal().exists()).toBe(false)
      await field.trigger('blur')
      await settle()
      expect(ipc.callsTo('queue:set-bandwidth-limit')).toEqual([])
    })

    it('"none" (the placeholder\'s word) is no limit; a change elsewhere does not overwrite what is being typed', async () => {
      const { field, limit } = await showLimit(2048)
      await field.setValue('none')
      await settle()
      expect(limit().kibPerSecond).toBeNull()
      expect(field.element.value).toBe('')
      // Typing, not committed yet, when another process saves 700 KiB/s: the text typed stays, and wins when sent.
      field.element.value = '3 MB/s'
      await field.trigger('input')
      savedElsewhere(700)
      await settle()
      expect(field.element.value).toBe('3 MB/s')
      await field.trigger('keydown', { key: 'Enter' })
      await settle()
      expect(limit().kibPerSecond).toBe(3072)
      expect(field.element.value).toBe('3 MB/s')
    })

    it("follows a limit changed elsewhere, and says when this run's comes from --bandwidth", async () => {
      const { field, hint } = await showLimit(300, true)
      expect(field.element.value).toBe('300 KB/s')
      expect(hint()).toContain('This run uses 300 KB/s from --bandwidth; saved: none.')
      savedElsewhere(4096)
      await settle()
      expect(field.element.value).toBe('4 MB/s')
      expect(hint()).not.toContain('--bandwidth')
    })
  })

  it('the summary counts cancelled uploads when there are any (they stay listed until cleared)', async () => {
    answerQueue(ipc, () => [job({ id: 1, state: 'done' })])
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    const summary = () => wrapper.get('[data-testid="transfers-summary"]').text()
    expect(summary()).toBe('0 running · 0 queued · 0 paused · 0 failed · 1 done')
    answerQueue(ipc, () => [
      job({ id: 1, state: 'done' }),
      ...Array.from({ length: 3000 }, (_, i) => job({ id: i + 2, state: 'cancelled' })),
    ])
    await useTransfersStore().load()
    await settle()
    expect(summary()).toBe('0 running · 0 queued · 0 paused · 0 failed · 1 done · 3,000 cancelled')
  })

  it('narrowed to an account: the summary says whose counts it shows', async () => {
    answerQueue(ipc, () => [
      job({ id: 1, accountId: 'acc-1', state: 'queued' }),
      job({ id: 2, accountId: 'acc-2', state: 'failed' }),
    ])
    const { pinia } = storeHarness(ipc)
    useAccountsStore().accounts = [
      { id: 'acc-1', name: 'work' },
      { id: 'acc-2', name: 'lab' },
    ] as never
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.find('[data-testid="transfers-summary-scope"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="transfers-summary"]').text()).toContain(
      '1 queued · 0 paused · 1 failed',
    )
    await wrapper.get('[data-testid="transfers-scope-account"]').setValue('acc-2')
    await settle()
    expect(wrapper.get('[data-testid="transfers-summary-scope"]').text()).toBe('Only lab:')
    expect(wrapper.get('[data-testid="transfers-summary"]').text()).toContain(
      '0 queued · 0 paused · 1 failed',
    )
  })

  it('shows a refused action in words', async () => {
    ipc.fail('queue:retry', 'SOURCE_GONE', 'The local file /home/ana/a.txt no longer exists.')
    const wrapper = await show([job({ id: 3, state: 'failed' })], 'failed')
    await row(wrapper, 3).get('[data-testid="transfer-retry"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="transfers-action-error"]').text()).toContain('no longer exists')
  })

  it('has an empty state', async () => {
    const wrapper = await show([])
    expect(wrapper.get('[data-testid="transfers-empty"]').text()).toContain('No transfers')
  })
})

describe('transfers view: one row per cause, grouped by the queue', () => {
  let ipc: FakeIpc
  withFakeIpcAndLayout(800, (fresh) => {
    ipc = fresh.answer('queue:group-action', () => null)
  })

  const longReason =
    'KMS key "nokey-9" does not exist on this server. Pick a key of this account in the upload dialog, or add the key id by hand under Accounts → Keys; uploads that used it are held until then.'

  it('shows "48 uploads failed: <whole reason>" once, with retry, cancel and clear for the group by its id', async () => {
    const error = { code: 'KMS_KEY_NOT_FOUND' as const, message: longReason }
    const jobs = [
      job({ id: 1, state: 'failed', error }),
      ...Array.from({ length: 47 }, (_, i) => job({ id: i + 2, state: 'paused', error })),
      job({ id: 99, state: 'done' }),
    ]
    const group = problemGroup({
      id: 'cause-1',
      error,
      count: 48,
      failed: 1,
      held: 47,
      heldPaused: 47,
      bytes: 48_000,
      examples: [1, 2, 3, 4, 5].map((id) => ({ id, bucket: 'bucket-a', key: `batch/f${id}.txt` })),
    })
    answerQueue(ipc, () => jobs, { problems: [group] })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    const problems = wrapper.findAll('[data-testid="transfer-problem"]')
    expect(problems).toHaveLength(1)
    const title = problems[0]!.get('[data-testid="transfer-problem-title"]')
    // The whole reason, not cut off: the title wraps (no ellipsis style on it).
    expect(title.text()).toBe(`48 uploads failed: ${longReason}`)
    expect(problems[0]!.get('[data-testid="transfer-problem-breakdown"]').text()).toBe(
      '1 failed, 47 held until the cause is fixed',
    )
    expect(problems[0]!.get('[data-testid="transfer-problem-examples"]').text()).toContain(
      'bucket-a/batch/f1.txt, bucket-a/batch/f2.txt, bucket-a/batch/f3.txt, bucket-a/batch/f4.txt, bucket-a/batch/f5.txt, and 43 more',
    )
    // The grouped jobs are not rows of their own.
    expect(wrapper.findAll('[data-testid="transfer-row"]').map((r) => r.attributes('data-job-id'))).toEqual([
      '99',
    ])
    for (const action of ['retry', 'cancel', 'clear'])
      await wrapper.get(`[data-testid="transfer-problem-${action}"]`).trigger('click')
    await settle()
    expect(ipc.callsTo('queue:group-action')).toEqual([
      [{ groupId: 'cause-1', action: 'retry' }],
      [{ groupId: 'cause-1', action: 'cancel' }],
      [{ groupId: 'cause-1', action: 'clear' }],
    ])
  })

  it("in German the reason is the catalogue's sentence for its code, with main's English sentence as the detail", async () => {
    const error = { code: 'KMS_KEY_NOT_FOUND' as const, message: longReason }
    answerQueue(ipc, () => [], { problems: [problemGroup({ error, count: 48, failed: 1, held: 47 })] })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    setLocale('de')
    try {
      const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
      await settle()
      expect(wrapper.get('[data-testid="transfer-problem-title"]').text()).toBe(
        '48 Uploads fehlgeschlagen: Der KMS-Schlüssel wurde nicht gefunden.',
      )
      const detail = wrapper.get('[data-testid="transfer-problem-detail"]')
      expect(detail.get('summary').text()).toBe('Details (Englisch)')
      expect(detail.text()).toContain(longReason)
    } finally {
      setLocale('en')
    }
  })

  it("in English the reason is main's own sentence, and no detail repeats it", async () => {
    const error = { code: 'KMS_KEY_NOT_FOUND' as const, message: longReason }
    answerQueue(ipc, () => [], { problems: [problemGroup({ error, count: 2, failed: 2 })] })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="transfer-problem-title"]').text()).toBe(
      `2 uploads failed: ${longReason}`,
    )
    expect(wrapper.find('[data-testid="transfer-problem-detail"]').exists()).toBe(false)
  })

  it('a group of failed jobs only offers retry and clear (nothing left to cancel)', async () => {
    answerQueue(ipc, () => [], { problems: [problemGroup({ count: 2, failed: 2 })] })
    const { pinia } = storeHarness(ipc)
    await useTransfersStore().load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    expect(wrapper.get('[data-testid="transfer-problem-title"]').text()).toMatch(/^2 uploads failed: /)
    expect(wrapper.find('[data-testid="transfer-problem-cancel"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="transfer-problem-breakdown"]').exists()).toBe(false)
  })
})
