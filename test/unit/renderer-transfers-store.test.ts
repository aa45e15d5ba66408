// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Job } from '../../preload/contract/queue-models'
import {
  TRANSFERS_PAGE_SIZE,
  TRANSFERS_WINDOW_MAX,
  useTransfersStore,
} from '../../renderer/src/stores/transfers'
import { createFakeIpc, type FakeIpc, settle, storeHarness } from './renderer-fake-ipc'
import { job } from './renderer-fixtures'
import { answerQueue, answerQueueActions, problemGroup } from './renderer-queue-fake'

const many = (n: number, from = 1): Job[] =>
  Array.from({ length: n }, (_, i) => job({ id: from + i, state: 'done', key: `f/${from + i}` }))
const ids = (jobs: readonly Job[]) => jobs.map((j) => j.id)
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('transfers store: a window of the queue, not every job', () => {
  let ipc: FakeIpc
  beforeEach(() => {
    ipc = createFakeIpc()
    storeHarness(ipc)
  })
  /** The store following the queue's events, with its first page read from `jobs`. */
  async function following(jobs: () => Job[]) {
    answerQueue(ipc, jobs)
    const transfers = useTransfersStore()
    transfers.follow()
    await transfers.load()
    return transfers
  }

  it('holds the first page of 10,000 jobs (newest first) with the counts of all, then more pages on demand', async () => {
    const queue = many(10_000)
    answerQueue(ipc, () => queue)
    const transfers = useTransfersStore()
    await transfers.load()
    expect(transfers.jobs).toHaveLength(TRANSFERS_PAGE_SIZE)
    expect(transfers.jobs[0]?.id).toBe(10_000)
    expect(transfers.counts.done).toBe(10_000)
    expect(transfers.hasMore).toBe(true)
    await transfers.loadMore()
    expect(ids(transfers.jobs)).toEqual(Array.from({ length: 200 }, (_, i) => 10_000 - i))
    // Every read was a page of at most 100 jobs: nothing asked for the whole queue.
    expect(ipc.callsTo('queue:page').map(([r]) => r.limit)).toEqual([100, 100])
    expect(ipc.calls.map((c) => c.channel)).not.toContain('queue:list')
  })

  it('stays live from events: a changed job in place, a new one on top, removed ids, counts, progress', async () => {
    let queue = [job({ id: 1, state: 'queued', size: 1000 })]
    answerQueue(ipc, () => queue)
    const transfers = useTransfersStore()
    const stop = transfers.follow()
    await transfers.load()
    ipc.emit('queue:jobs', [job({ id: 1, state: 'running', size: 1000, updatedAt: '2026-01-01T00:00:02Z' })])
    ipc.emit('queue:progress', [{ jobId: 1, bytesDone: 400, size: 1000, bytesPerSecond: 200, etaSeconds: 3 }])
    const running = transfers.jobs[0]!
    expect(running.state).toBe('running')
    expect(transfers.bytesDone(running)).toBe(400)
    ipc.emit('queue:jobs', [job({ id: 2, state: 'queued' })])
    expect(ids(transfers.jobs)).toEqual([2, 1])
    ipc.emit('queue:jobs', [
      job({ id: 1, state: 'done', bytesDone: 1000, size: 1000, updatedAt: '2026-01-01T00:00:03Z' }),
    ])
    expect(transfers.progressOf(1)).toBeUndefined() // live figures end with the run
    expect(transfers.lastDone?.id).toBe(1)
    ipc.emit('queue:counts', { queued: 1, running: 0, paused: 0, done: 1, failed: 0, cancelled: 0 })
    expect(transfers.counts).toMatchObject({ queued: 1, done: 1 })
    queue = []
    ipc.emit('queue:removed', [1])
    expect(ids(transfers.jobs)).toEqual([2])
    stop()
    expect(ipc.listenerCount('queue:jobs') + ipc.listenerCount('queue:counts')).toBe(0)
  })

  it('narrowed to an account or watched folder: its jobs, and counts of it (not of the whole queue)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const queue = [
        job({ id: 1, accountId: 'acc-1', state: 'queued' }),
        job({ id: 2, accountId: 'acc-2', state: 'failed' }),
        job({ id: 3, accountId: 'acc-2', state: 'done', syncPairId: 'pair-1' }),
      ]
      answerQueue(ipc, () => queue)
      const transfers = useTransfersStore()
      transfers.follow()
      await transfers.setScope({ accountId: 'acc-2' })
      expect(ipc.callsTo('queue:page').at(-1)?.[0]).toMatchObject({ accountId: 'acc-2' })
      expect(transfers.counts).toMatchObject({ queued: 0, failed: 1, done: 1 })
      // Another account's change is not this view's; the whole-queue counts event makes it read its own.
      queue.push(
        job({ id: 4, accountId: 'acc-1', state: 'queued' }),
        job({ id: 5, accountId: 'acc-2', state: 'queued' }),
      )
      ipc.emit('queue:jobs', [queue[3]!, queue[4]!])
      expect(ids(transfers.jobs)).toEqual([5, 3])
      ipc.emit('queue:counts', { queued: 3, running: 0, paused: 0, done: 1, failed: 1, cancelled: 0 })
      expect(transfers.counts.queued).toBe(0)
      await vi.advanceTimersByTimeAsync(1000)
      expect(ipc.callsTo('queue:counts').at(-1)).toEqual([{ accountId: 'acc-2' }])
      expect(transfers.counts).toMatchObject({ queued: 1, failed: 1, done: 1 })
      await transfers.setScope({ syncPairId: 'pair-1' })
      expect(transfers.counts).toMatchObject({ queued: 0, failed: 0, done: 1 })
      // Back to everything: the counts of the whole queue again, as events bring them.
      await transfers.setScope({})
      expect(transfers.counts).toMatchObject({ queued: 3, failed: 1, done: 1 })
      ipc.emit('queue:counts', { queued: 9, running: 0, paused: 0, done: 1, failed: 1, cancelled: 0 })
      expect(transfers.counts.queued).toBe(9)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps an event newer than the page that was on its way', async () => {
    let release!: () => void
    answerQueue(ipc, () => [job({ id: 1, state: 'queued', updatedAt: '2026-01-01T00:00:00Z' })])
    const pageOf = ipc
    const slow = async () => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return {
        jobs: [job({ id: 1, state: 'queued', updatedAt: '2026-01-01T00:00:00Z' })],
        counts: { queued: 1, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 },
      }
    }
    pageOf.answer('queue:page', slow)
    const transfers = useTransfersStore()
    transfers.follow()
    const loading = transfers.load()
    await settle()
    ipc.emit('queue:jobs', [job({ id: 1, state: 'running', updatedAt: '2026-01-01T00:00:05Z' })])
    release()
    await loading
    expect(transfers.jobs[0]?.state).toBe('running')
    ipc.emit('queue:jobs', [job({ id: 1, state: 'queued', updatedAt: '2026-01-01T00:00:01Z' })])
    expect(transfers.jobs[0]?.state).toBe('running')
  })

  it('keeps at most TRANSFERS_WINDOW_MAX jobs while a big folder is queued, and pages on without gaps', async () => {
    const queue = many(50)
    const transfers = await following(() => queue)
    expect(transfers.hasMore).toBe(false)
    // As the queue sends them: many changes an event (coalesced), in several events.
    for (let from = 51; from <= 5050; from += 1000) {
      const added = Array.from({ length: Math.min(1000, 5051 - from) }, (_, i) =>
        job({ id: from + i, state: 'queued', key: `f/${from + i}` }),
      )
      queue.push(...added)
      ipc.emit('queue:jobs', added)
    }
    expect(transfers.jobs).toHaveLength(TRANSFERS_WINDOW_MAX)
    expect(transfers.jobs[0]?.id).toBe(5050)
    expect(transfers.hasMore).toBe(true)
    const lowest = transfers.jobs.at(-1)!.id
    await transfers.loadMore() // the window is full: nothing more is held
    expect(transfers.jobs).toHaveLength(TRANSFERS_WINDOW_MAX)
    // An older job changing is not pulled into the window; one inside it is updated.
    ipc.emit('queue:jobs', [job({ id: 3, state: 'failed', updatedAt: '2026-01-01T00:00:09Z' })])
    expect(transfers.jobs.some((j) => j.id === 3)).toBe(false)
    ipc.emit('queue:removed', ids(transfers.jobs.slice(0, 1500)))
    await transfers.loadMore()
    expect(transfers.jobs[500]?.id).toBe(lowest - 1)
    expect(new Set(ids(transfers.jobs)).size).toBe(transfers.jobs.length)
  })

  it('when cleared jobs empty the window, the first page is read again (no "Show more" on an empty list)', async () => {
    let queue = many(250)
    const transfers = await following(() => queue)
    const cleared = queue.slice(100)
    queue = queue.slice(0, 100)
    ipc.emit('queue:removed', ids(cleared))
    expect(transfers.jobs).toEqual([])
    await wait(700)
    expect(ids(transfers.jobs)).toEqual(ids(queue).reverse())
    expect(transfers.hasMore).toBe(false)
  })

  it('a filter asks the queue for its states; "all" leaves out the grouped problems; a job leaving the filter leaves the window', async () => {
    const queue = [
      job({ id: 1, state: 'failed' }),
      job({ id: 2, state: 'done' }),
      job({ id: 3, state: 'running' }),
    ]
    const transfers = await following(() => queue)
    expect(ipc.callsTo('queue:page')[0]?.[0]).toMatchObject({ withoutProblems: true })
    expect(ids(transfers.jobs)).toEqual([3, 2])
    await transfers.setFilter('failed')
    expect(ipc.callsTo('queue:page')[1]?.[0]).toMatchObject({ states: ['failed'] })
    expect(ids(transfers.jobs)).toEqual([1])
    ipc.emit('queue:jobs', [job({ id: 1, state: 'queued', updatedAt: '2026-01-01T00:00:05Z' })])
    expect(transfers.jobs).toEqual([])
    ipc.emit('queue:jobs', [job({ id: 3, state: 'failed', updatedAt: '2026-01-01T00:00:06Z' })])
    expect(ids(transfers.jobs)).toEqual([3])
  })

  it('reads the problem groups again when a job fails (not per event: at most every half second)', async () => {
    let problems = [problemGroup({ count: 1 })]
    answerQueue(ipc, () => [])
    ipc.answer('queue:problem-groups', () => ({ groups: problems, more: { groups: 0, jobs: 0 } }))
    const transfers = useTransfersStore()
    transfers.follow()
    await transfers.load()
    expect(transfers.problems.map((g) => g.count)).toEqual([1])
    problems = [problemGroup({ count: 3, failed: 1, held: 2 })]
    for (let id = 1; id <= 3; id++)
      ipc.emit('queue:jobs', [job({ id, state: 'failed', error: problems[0]!.error })])
    await wait(700)
    expect(transfers.problems.map((g) => g.count)).toEqual([3])
    expect(ipc.callsTo('queue:problem-groups')).toHaveLength(2)
  })

  it('sends the actions for one job, all, a group (by its id, not its jobs), and clears finished or failed', async () => {
    answerQueueActions(ipc, { groups: true })
    ipc.answer('queue:problem-groups', () => ({ groups: [], more: { groups: 0, jobs: 0 } }))
    const transfers = useTransfersStore()
    await transfers.pause(3)
    await transfers.resume('all')
    await transfers.cancel(4)
    await transfers.retry('all')
    await transfers.groupAction('g-7', 'clear')
    await transfers.clearFinished()
    await transfers.clearFailed()
    expect(ipc.calls.map((c) => [c.channel, ...c.args])).toEqual([
      ['queue:pause', 3],
      ['queue:resume', 'all'],
      ['queue:cancel', 4],
      ['queue:retry', 'all'],
      ['queue:group-action', { groupId: 'g-7', action: 'clear' }],
      ['queue:problem-groups', {}],
      ['queue:clear-finished'],
      ['queue:clear-failed'],
    ])
    expect(transfers.actionError).toBeUndefined()
  })

  it('narrowed to an account and folder: its problem groups, and every bulk action names that scope (not all)', async () => {
    answerQueue(ipc, () => [job({ id: 3, accountId: 'acc-2', syncPairId: 'pair-1', state: 'failed' })])
    // As the core answers: the groups of the scope asked for (the whole queue has more of that cause).
    ipc.answer('queue:problem-groups', (request) => ({
      groups: [problemGroup({ count: request.syncPairId === 'pair-1' ? 1 : 4 })],
      more: { groups: 0, jobs: 0 },
    }))
    answerQueueActions(ipc, { groups: true })
    const transfers = useTransfersStore()
    await transfers.setScope({ accountId: 'acc-2', syncPairId: 'pair-1' })
    expect(transfers.problems.map((g) => g.count)).toEqual([1])
    ipc.calls.length = 0
    const scope = { accountId: 'acc-2', syncPairId: 'pair-1' }
    await transfers.pause('all')
    await transfers.resume('all')
    await transfers.cancel('all')
    await transfers.retry('all')
    await transfers.pause(3)
    await transfers.clearFinished()
    await transfers.clearFailed()
    await transfers.groupAction('g-7', 'cancel')
    expect(ipc.calls.map((c) => [c.channel, ...c.args])).toEqual([
      ['queue:pause', scope],
      ['queue:resume', scope],
      ['queue:cancel', scope],
      ['queue:retry', scope],
      ['queue:pause', 3],
      ['queue:clear-finished', scope],
      ['queue:clear-failed', scope],
      ['queue:group-action', { groupId: 'g-7', action: 'cancel', ...scope }],
      ['queue:problem-groups', scope],
    ])
  })

  it('"uploaded earlier" of a narrowed view is its account\'s / folder\'s history, also after the kept days change', async () => {
    answerQueue(ipc, () => [])
    const figures: Record<string, number> = { all: 50, 'acc-2': 7, 'pair-1': 3 }
    const historyOf = (uploads: number) => ({
      total: { uploads, bytes: uploads * 10 },
      days: [],
      keepDoneDays: 7,
    })
    ipc.answer('queue:history', (scope) =>
      historyOf(figures[scope?.syncPairId ?? scope?.accountId ?? 'all'] ?? 0),
    )
    ipc.answer('queue:set-keep-done-days', (days) => ({ ...historyOf(figures.all!), keepDoneDays: days }))
    const transfers = useTransfersStore()
    await transfers.load()
    expect(transfers.history?.total.uploads).toBe(50)
    await transfers.setScope({ accountId: 'acc-2' })
    expect(ipc.callsTo('queue:history').at(-1)).toEqual([{ accountId: 'acc-2' }])
    expect(transfers.history?.total.uploads).toBe(7)
    await transfers.setScope({ syncPairId: 'pair-1' })
    expect(transfers.history?.total.uploads).toBe(3)
    // The answer to a new kept age is the whole queue's: the narrowed view reads its own again.
    await transfers.setKeepDoneDays(30)
    expect(transfers.history?.total.uploads).toBe(3)
    await transfers.setScope({})
    expect(ipc.callsTo('queue:history').at(-1)).toEqual([])
    expect(transfers.history?.total.uploads).toBe(50)
  })

  it('follows queue:settings (saved in another window or with obs-sync settings): limits and kept days', async () => {
    answerQueue(ipc, () => [])
    const transfers = useTransfersStore()
    transfers.follow()
    await transfers.load()
    expect(transfers.requestLimit?.requests).toBe(16)
    ipc.emit('queue:settings', {
      requestLimit: { requests: 3, saved: 3, fromCommandLine: false },
      bandwidthLimit: { kibPerSecond: 512, saved: 512, fromCommandLine: false },
      keepDoneDays: 30,
    })
    expect(transfers.requestLimit).toEqual({ requests: 3, saved: 3, fromCommandLine: false })
    expect(transfers.bandwidthLimit).toEqual({ kibPerSecond: 512, saved: 512, fromCommandLine: false })
    expect(transfers.history?.keepDoneDays).toBe(30)
  })

  it('keeps a failed action and a failed read as sentences', async () => {
    ipc.fail('queue:retry', 'SOURCE_GONE', 'The local file /home/ana/a.txt no longer exists.')
    answerQueue(ipc, () => [])
    ipc.fail('queue:page', 'INTERNAL', '')
    const transfers = useTransfersStore()
    await transfers.retry(9)
    await transfers.load()
    expect(transfers.actionError?.message).toBe('The local file /home/ana/a.txt no longer exists.')
    expect(transfers.error?.message).toBe('Something went wrong inside OBS Sync.')
  })
})
