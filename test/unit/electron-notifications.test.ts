import { afterEach, describe, expect, it, vi } from 'vitest'
import { createNotificationPolicy, type Notice, noticeLabels } from '../../main/electron/notification-policy'
import { createNotifier, showDesktopNotice } from '../../main/electron/notifier'
import { EMPTY_STATUS } from '../../main/electron/status-feed'
import type { StatusSummary } from '../../preload/contract/queue-models'

const fake = vi.hoisted(() => ({
  supported: true,
  shown: [] as Array<{ title: string; body: string; click?: () => void }>,
}))
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => fake.supported
    entry: { title: string; body: string; click?: () => void }
    constructor(options: { title: string; body: string }) {
      this.entry = { ...options }
    }
    on(_name: 'click', listener: () => void) {
      this.entry.click = listener
    }
    show() {
      fake.shown.push(this.entry)
    }
  },
}))

const idle = (overrides: Partial<StatusSummary> = {}): StatusSummary => ({ ...EMPTY_STATUS, ...overrides })
const busy = (running: number, queued = 0, more: Partial<StatusSummary> = {}) =>
  idle({ state: 'syncing', running, queued, ...more })
const SECOND = 1000

/** Runs a batch of `count` uploads that ends at time `t`; returns what the policy said at the end. */
function batch(
  policy: ReturnType<typeof createNotificationPolicy>,
  firstId: number,
  count: number,
  t: number,
) {
  policy.statusChanged(busy(Math.min(count, 4), Math.max(0, count - 4)), t - 1)
  for (let id = firstId; id < firstId + count; id++) policy.jobChanged({ id, state: 'done' })
  return policy.statusChanged(idle(), t)
}

describe('notification rate limiting and batch summaries', () => {
  it('a finished batch gives one summary: "12 files uploaded"', () => {
    const policy = createNotificationPolicy()
    policy.statusChanged(idle(), 0)
    policy.statusChanged(busy(4, 8), 1 * SECOND)
    for (let id = 1; id <= 12; id++) {
      policy.jobChanged({ id, state: 'running' })
      expect(policy.statusChanged(busy(4, Math.max(0, 8 - id)), (1 + id) * SECOND)).toBeUndefined()
      policy.jobChanged({ id, state: 'done' })
      policy.jobChanged({ id, state: 'done' })
    }
    expect(policy.statusChanged(idle(), 20 * SECOND)).toEqual({
      kind: 'uploaded',
      title: '12 files uploaded',
      body: 'All queued uploads have finished.',
    })
    expect(policy.waitFor(21 * SECOND)).toBeUndefined()
  })

  it('at most one notice per 30 s: the next is held, then shown with everything that happened meanwhile', () => {
    const policy = createNotificationPolicy({ minIntervalMs: 30 * SECOND })
    expect(batch(policy, 1, 3, 10 * SECOND)?.title).toBe('3 files uploaded')
    expect(batch(policy, 10, 2, 20 * SECOND)).toBeUndefined()
    expect(batch(policy, 20, 5, 30 * SECOND)).toBeUndefined()
    expect(policy.waitFor(30 * SECOND)).toBe(10 * SECOND)
    expect(policy.poll(39 * SECOND)).toBeUndefined()
    expect(policy.poll(40 * SECOND)?.title).toBe('7 files uploaded')
    expect(policy.poll(80 * SECOND)).toBeUndefined()
  })

  it('failures are told without waiting for the batch to end, counted once, merged when rate-limited', () => {
    const policy = createNotificationPolicy()
    policy.statusChanged(busy(4, 10), 0)
    expect(policy.statusChanged(busy(4, 9, { failed: 1 }), 1 * SECOND)).toEqual({
      kind: 'failed',
      title: '1 upload failed',
      body: 'Open OBS Sync to see why and retry.',
    })
    expect(policy.statusChanged(busy(4, 8, { failed: 2 }), 2 * SECOND)).toBeUndefined()
    expect(policy.statusChanged(busy(4, 7, { failed: 4 }), 3 * SECOND)).toBeUndefined()
    expect(policy.poll(31 * SECOND)?.title).toBe('3 uploads failed')
  })

  it('a batch ending with failures says both', () => {
    const policy = createNotificationPolicy()
    policy.statusChanged(idle(), 0)
    policy.statusChanged(busy(2), 1)
    policy.jobChanged({ id: 1, state: 'done' })
    expect(policy.statusChanged(idle({ state: 'error', failed: 1 }), 2)).toEqual({
      kind: 'failed',
      title: '1 upload failed',
      body: '1 file uploaded. Open OBS Sync to see why and retry.',
    })
  })

  it('worded from the catalogue in the user’s language (German, Chinese), and in a new one after a change', () => {
    const policy = createNotificationPolicy({ labels: noticeLabels('de') })
    policy.statusChanged(idle(), 0)
    expect(batch(policy, 1, 12, 10 * SECOND)).toEqual({
      kind: 'uploaded',
      title: '12 Dateien hochgeladen',
      body: 'Alle Uploads der Warteschlange sind fertig.',
    })
    policy.setLabels(noticeLabels('zh-CN'))
    policy.statusChanged(busy(2), 50 * SECOND)
    policy.jobChanged({ id: 100, state: 'done' })
    expect(policy.statusChanged(idle({ state: 'error', failed: 1 }), 60 * SECOND)).toEqual({
      kind: 'failed',
      title: '1 个上传失败',
      body: '已上传 1 个文件。打开 OBS Sync 查看原因并重试。',
    })
    expect(batch(policy, 200, 1, 100 * SECOND)?.title).toBe('已上传 1 个文件')
    policy.setLabels(noticeLabels('de'))
    expect(batch(policy, 300, 1, 200 * SECOND)?.title).toBe('1 Datei hochgeladen')
  })

  it('failures from before the app started are not news; a retry lowering the count is not either', () => {
    const policy = createNotificationPolicy()
    expect(policy.statusChanged(idle({ state: 'error', failed: 5 }), 0)).toBeUndefined()
    expect(policy.statusChanged(idle({ state: 'error', failed: 2 }), 1)).toBeUndefined()
    expect(policy.waitFor(2)).toBeUndefined()
  })

  it('pausing or going offline does not end a batch', () => {
    const policy = createNotificationPolicy()
    policy.statusChanged(busy(2, 3), 0)
    policy.jobChanged({ id: 1, state: 'done' })
    expect(policy.statusChanged(idle({ state: 'paused', pausedByUser: true, paused: 4 }), 1)).toBeUndefined()
    expect(policy.statusChanged(idle({ state: 'offline' }), 2)).toBeUndefined()
    policy.statusChanged(busy(1), 3)
    policy.jobChanged({ id: 2, state: 'done' })
    expect(policy.statusChanged(idle(), 4)?.title).toBe('2 files uploaded')
  })

  it('nothing uploaded (all cancelled): no notice', () => {
    const policy = createNotificationPolicy()
    policy.statusChanged(busy(2), 0)
    policy.jobChanged({ id: 1, state: 'cancelled' })
    expect(policy.statusChanged(idle(), 1)).toBeUndefined()
  })
})

describe('the notifier', () => {
  afterEach(() => {
    vi.useRealTimers()
    fake.shown.length = 0
    fake.supported = true
  })

  it('shows a held-back notice when its turn comes, without waiting for another event', () => {
    vi.useFakeTimers({ now: 0 })
    const shown: Notice[] = []
    const notifier = createNotifier({ policy: createNotificationPolicy(), show: (n) => shown.push(n) })
    notifier.statusChanged(busy(1))
    notifier.jobChanged({ id: 1, state: 'done' })
    notifier.statusChanged(idle())
    vi.advanceTimersByTime(5 * SECOND)
    notifier.statusChanged(busy(1))
    notifier.jobChanged({ id: 2, state: 'done' })
    notifier.statusChanged(idle())
    expect(shown.map((n) => n.title)).toEqual(['1 file uploaded'])
    vi.advanceTimersByTime(25 * SECOND)
    expect(shown.map((n) => n.title)).toEqual(['1 file uploaded', '1 file uploaded'])
    notifier.dispose()
  })

  it('desktop notifications: shown with a click that opens the window; skipped where unsupported', () => {
    const opened: string[] = []
    showDesktopNotice({ title: '12 files uploaded', body: 'Done.' }, () => opened.push('window'))
    expect(fake.shown).toMatchObject([{ title: '12 files uploaded', body: 'Done.' }])
    fake.shown[0]?.click?.()
    expect(opened).toEqual(['window'])
    fake.supported = false
    showDesktopNotice({ title: 'x', body: 'y' }, () => {})
    expect(fake.shown).toHaveLength(1)
  })
})
