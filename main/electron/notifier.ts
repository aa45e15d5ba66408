import { Notification } from 'electron'
import type { JobState, StatusSummary } from '../../preload/contract/queue-models'
import type { Notice, NotificationPolicy } from './notification-policy'

export interface Notifier {
  jobChanged(job: { id: number; state: JobState }): void
  statusChanged(status: StatusSummary): void
  dispose(): void
}

/**
 * Feeds the pure policy and shows what it decides. A notice the rate limit holds back is shown by a timer
 * when its turn comes, so the last "12 files uploaded" of a quiet evening is not left waiting for an event.
 */
export function createNotifier(deps: {
  policy: NotificationPolicy
  show(notice: Notice): void
  now?: () => number
}): Notifier {
  const now = deps.now ?? Date.now
  let timer: ReturnType<typeof setTimeout> | undefined

  const offer = (notice: Notice | undefined) => {
    if (notice) deps.show(notice)
    const wait = deps.policy.waitFor(now())
    if (wait === undefined || timer) return
    timer = setTimeout(() => {
      timer = undefined
      offer(deps.policy.poll(now()))
    }, wait)
  }

  return {
    jobChanged: (job) => deps.policy.jobChanged(job),
    statusChanged: (status) => offer(deps.policy.statusChanged(status, now())),
    dispose: () => clearTimeout(timer),
  }
}

/** Shows a notice as a desktop notification; clicking it opens the window. Silently skipped where unsupported. */
export function showDesktopNotice(notice: Pick<Notice, 'title' | 'body'>, onClick: () => void): void {
  if (!Notification.isSupported()) return
  const notification = new Notification({ title: notice.title, body: notice.body })
  notification.on('click', onClick)
  notification.show()
}
