// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { useTransfersStore } from '../../renderer/src/stores/transfers'
import { createFakeIpc, type FakeIpc, settle, storeHarness } from './renderer-fake-ipc'
import { job } from './renderer-fixtures'

describe('transfers store', () => {
  let ipc: FakeIpc
  beforeEach(() => {
    ipc = createFakeIpc()
    storeHarness(ipc)
  })

  it('orders running, queued, paused, failed, then finished work newest first', async () => {
    ipc.answer('queue:list', () => [
      job({ id: 1, state: 'done', updatedAt: '2026-01-01T00:00:01Z' }),
      job({ id: 2, state: 'queued' }),
      job({ id: 3, state: 'failed' }),
      job({ id: 4, state: 'running' }),
      job({ id: 5, state: 'done', updatedAt: '2026-01-01T00:00:09Z' }),
      job({ id: 6, state: 'paused' }),
    ])
    const transfers = useTransfersStore()
    await transfers.load()
    expect(transfers.jobs.map((j) => j.id)).toEqual([4, 2, 6, 3, 5, 1])
    expect(transfers.counts).toEqual({ queued: 1, running: 1, paused: 1, done: 2, failed: 1, cancelled: 0 })
    expect(transfers.hasFinished).toBe(true)
  })

  it('stays live: queue:job adds and updates, queue:removed removes, queue:progress moves the bytes', async () => {
    ipc.answer('queue:list', () => [job({ id: 1, state: 'queued', size: 1000 })])
    const transfers = useTransfersStore()
    const stop = transfers.follow()
    await transfers.load()
    ipc.emit('queue:job', job({ id: 1, state: 'running', size: 1000, updatedAt: '2026-01-01T00:00:02Z' }))
    ipc.emit('queue:progress', [{ jobId: 1, bytesDone: 400, size: 1000, bytesPerSecond: 200, etaSeconds: 3 }])
    const running = transfers.jobs[0]!
    expect(running.state).toBe('running')
    expect(transfers.bytesDone(running)).toBe(400)
    expect(transfers.progressOf(1)).toEqual({
      bytesDone: 400,
      size: 1000,
      bytesPerSecond: 200,
      etaSeconds: 3,
    })
    ipc.emit('queue:job', job({ id: 2, state: 'queued' }))
    expect(transfers.jobs.map((j) => j.id)).toEqual([1, 2])
    ipc.emit(
      'queue:job',
      job({ id: 1, state: 'done', bytesDone: 1000, size: 1000, updatedAt: '2026-01-01T00:00:03Z' }),
    )
    expect(transfers.progressOf(1)).toBeUndefined() // live figures end with the run
    ipc.emit('queue:removed', [1])
    expect(transfers.jobs.map((j) => j.id)).toEqual([2])
    stop()
    expect(ipc.listenerCount('queue:job') + ipc.listenerCount('queue:progress')).toBe(0)
  })

  it('keeps an event newer than the list that was on its way', async () => {
    let release!: () => void
    ipc.answer('queue:list', async () => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return [job({ id: 1, state: 'queued', updatedAt: '2026-01-01T00:00:00Z' })]
    })
    const transfers = useTransfersStore()
    transfers.follow()
    const loading = transfers.load()
    await settle()
    ipc.emit('queue:job', job({ id: 1, state: 'running', updatedAt: '2026-01-01T00:00:05Z' }))
    release()
    await loading
    expect(transfers.jobs[0]?.state).toBe('running')
    // and an older event does not undo a newer state
    ipc.emit('queue:job', job({ id: 1, state: 'queued', updatedAt: '2026-01-01T00:00:01Z' }))
    expect(transfers.jobs[0]?.state).toBe('running')
  })

  it('sends pause, resume, cancel and retry for one job or all, and clears finished jobs', async () => {
    for (const channel of [
      'queue:pause',
      'queue:resume',
      'queue:cancel',
      'queue:retry',
      'queue:clear-finished',
    ] as const) {
      ipc.answer(channel, () => null)
    }
    const transfers = useTransfersStore()
    await transfers.pause(3)
    await transfers.resume('all')
    await transfers.cancel(4)
    await transfers.retry('all')
    await transfers.clearFinished()
    expect(ipc.calls.map((c) => [c.channel, ...c.args])).toEqual([
      ['queue:pause', 3],
      ['queue:resume', 'all'],
      ['queue:cancel', 4],
      ['queue:retry', 'all'],
      ['queue:clear-finished'],
    ])
    expect(transfers.actionError).toBeUndefined()
  })

  it('keeps a failed action and a failed read as sentences', async () => {
    ipc.fail('queue:retry', 'SOURCE_GONE', 'The local file /home/ana/a.txt no longer exists.')
    ipc.fail('queue:list', 'INTERNAL', '')
    const transfers = useTransfersStore()
    await transfers.retry(9)
    await transfers.load()
    expect(transfers.actionError?.message).toBe('The local file /home/ana/a.txt no longer exists.')
    expect(transfers.error?.message).toBe('Something went wrong inside OBS Sync.')
  })
})
