// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import TransfersView from '../../renderer/src/components/transfers/TransfersView.vue'
import { useTransfersStore } from '../../renderer/src/stores/transfers'
import {
  createFakeIpc,
  type FakeIpc,
  fakeLayout,
  mountWithIpc,
  settle,
  storeHarness,
} from './renderer-fake-ipc'
import { job } from './renderer-fixtures'

describe('transfers view', () => {
  let ipc: FakeIpc
  let restoreLayout: () => void
  beforeEach(() => {
    restoreLayout = fakeLayout(800)
    ipc = createFakeIpc()
    for (const channel of [
      'queue:pause',
      'queue:resume',
      'queue:cancel',
      'queue:retry',
      'queue:clear-finished',
    ] as const) {
      ipc.answer(channel, () => null)
    }
  })
  afterEach(() => {
    restoreLayout()
    document.body.innerHTML = ''
  })

  async function show(jobs: ReturnType<typeof job>[]) {
    ipc.answer('queue:list', () => jobs)
    const { pinia } = storeHarness(ipc)
    const transfers = useTransfersStore()
    transfers.follow()
    await transfers.load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    return wrapper
  }

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
    expect(r.get('[data-testid="transfer-eta"]').text()).toBe('5 s left')
    expect(r.text()).toContain('5.0 MB of 10.0 MB')
    expect(r.text()).toContain('video.mp4')
  })

  it('shows a failed job with its reason in words, and a waiting retry with its time', async () => {
    const wrapper = await show([
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
    ])
    expect(row(wrapper, 2).get('[data-testid="transfer-error"]').text()).toBe(
      'The KMS key old-backups is disabled. Enable it or choose another key.',
    )
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
    expect(row(wrapper, 4).get('[data-testid="transfer-error"]').text()).toBe(
      'Held until the cause is fixed: KMS key "nokey-9" does not exist on this server.',
    )
    expect(row(wrapper, 5).find('[data-testid="transfer-error"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('Will try again')
  })

  it('offers the actions that fit each state and sends them for that job', async () => {
    const wrapper = await show([
      job({ id: 1, state: 'running' }),
      job({ id: 2, state: 'paused' }),
      job({ id: 3, state: 'failed' }),
      job({ id: 4, state: 'done' }),
    ])
    const buttons = (id: number) =>
      row(wrapper, id)
        .findAll('button')
        .map((b) => b.attributes('data-testid'))
    expect(buttons(1)).toEqual(['transfer-pause', 'transfer-cancel'])
    expect(buttons(2)).toEqual(['transfer-resume', 'transfer-cancel'])
    expect(buttons(3)).toEqual(['transfer-retry', 'transfer-cancel'])
    expect(buttons(4)).toEqual([])
    await row(wrapper, 1).get('[data-testid="transfer-pause"]').trigger('click')
    await row(wrapper, 2).get('[data-testid="transfer-resume"]').trigger('click')
    await row(wrapper, 3).get('[data-testid="transfer-retry"]').trigger('click')
    await row(wrapper, 1).get('[data-testid="transfer-cancel"]').trigger('click')
    await settle()
    expect(ipc.calls.filter((c) => c.channel !== 'queue:list').map((c) => [c.channel, ...c.args])).toEqual([
      ['queue:pause', 1],
      ['queue:resume', 2],
      ['queue:retry', 3],
      ['queue:cancel', 1],
    ])
  })

  it('acts on all jobs and clears the finished ones', async () => {
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
    ]) {
      await wrapper.get(`[data-testid="${id}"]`).trigger('click')
    }
    expect(wrapper.get('[data-testid="transfers-resume-all"]').attributes('disabled')).toBeDefined() // nothing paused
    await settle()
    expect(ipc.calls.filter((c) => c.channel !== 'queue:list').map((c) => [c.channel, ...c.args])).toEqual([
      ['queue:pause', 'all'],
      ['queue:retry', 'all'],
      ['queue:cancel', 'all'],
      ['queue:clear-finished'],
    ])
  })

  it('shows a refused action in words', async () => {
    ipc.fail('queue:retry', 'SOURCE_GONE', 'The local file /home/ana/a.txt no longer exists.')
    const wrapper = await show([job({ id: 3, state: 'failed' })])
    await row(wrapper, 3).get('[data-testid="transfer-retry"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="transfers-action-error"]').text()).toContain('no longer exists')
  })

  it('has an empty state', async () => {
    const wrapper = await show([])
    expect(wrapper.get('[data-testid="transfers-empty"]').text()).toContain('No transfers')
  })
})

describe('transfers view: one problem for a held batch', () => {
  let ipc: FakeIpc
  let restoreLayout: () => void
  beforeEach(() => {
    restoreLayout = fakeLayout(800)
    ipc = createFakeIpc()
    ipc.answer('queue:retry', () => null).answer('queue:cancel', () => null)
  })
  afterEach(() => {
    restoreLayout()
    document.body.innerHTML = ''
  })

  it('shows "50 uploads held: <reason>" once, with retry and cancel for the group, instead of 50 rows', async () => {
    const error = {
      code: 'KMS_KEY_NOT_FOUND' as const,
      message: 'KMS key "nokey-9" does not exist on this server.',
    }
    const jobs = [
      job({ id: 1, state: 'failed', error }),
      ...Array.from({ length: 49 }, (_, i) => job({ id: i + 2, state: 'paused', error })),
      job({ id: 99, state: 'done' }),
    ]
    ipc.answer('queue:list', () => jobs)
    const { pinia } = storeHarness(ipc)
    const transfers = useTransfersStore()
    await transfers.load()
    const { wrapper } = mountWithIpc(TransfersView, { ipc, pinia })
    await settle()
    const problems = wrapper.findAll('[data-testid="transfer-problem"]')
    expect(problems).toHaveLength(1)
    expect(problems[0]?.get('[data-testid="transfer-problem-title"]').text()).toBe(
      '50 uploads held: KMS key "nokey-9" does not exist on this server.',
    )
    expect(wrapper.findAll('[data-testid="transfer-row"]').map((r) => r.attributes('data-job-id'))).toEqual([
      '99',
    ])
    await wrapper.get('[data-testid="transfer-problem-retry"]').trigger('click')
    await wrapper.get('[data-testid="transfer-problem-cancel"]').trigger('click')
    await settle()
    const ids = jobs.slice(0, 50).map((j) => j.id)
    expect(ipc.callsTo('queue:retry')).toEqual([[ids]])
    expect(ipc.callsTo('queue:cancel')).toEqual([[ids]])
  })
})
