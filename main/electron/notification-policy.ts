import type { AppLocale } from '../../preload/contract/i18n/locales'
import { translate } from '../../preload/contract/i18n/translate'
import type { JobState, StatusSummary } from '../../preload/contract/queue-models'

export interface Notice {
  kind: 'uploaded' | 'failed'
  title: string
  body: string
}

export interface NoticeLabels {
  uploadedTitle: (count: number) => string
  uploadedBody: string
  failedTitle: (count: number) => string
  failedBody: (uploaded: number) => string
}

/** The notifications' words in `locale`, from the catalogue the window uses (desktop.notice). */
export function noticeLabels(locale: AppLocale): NoticeLabels {
  const w = (key: string, count?: number) => translate(locale, `desktop.notice.${key}`, {}, count)
  return {
    uploadedTitle: (count) => w('uploadedTitle', count),
    uploadedBody: w('uploadedBody'),
    failedTitle: (count) => w('failedTitle', count),
    failedBody: (uploaded) => (uploaded > 0 ? w('failedBodyUploaded', uploaded) : w('failedBody')),
  }
}

export const ENGLISH_NOTICE_LABELS: NoticeLabels = noticeLabels('en')

export interface NotificationPolicy {
  /** A job changed state (one of a `queue:jobs` event): finished uploads are counted per batch. */
  jobChanged(job: { id: number; state: JobState }): void
  /** The summary changed (`status:changed`). Returns the notice to show now, if one is due and allowed. */
  statusChanged(status: StatusSummary, now: number): Notice | undefined
  /** Words the next notices in another language (the user changed it); notices already shown stay as they are. */
  setLabels(labels: Partial<NoticeLabels>): void
  /** Shows a notice the rate limit held back, once it may be shown. */
  poll(now: number): Notice | undefined
  /** Milliseconds until a held-back notice may be shown; undefined when nothing is waiting. */
  waitFor(now: number): number | undefined
}

/**
 * Decides when to tell the user something, from state transitions only (pure: time comes in as a number).
 * - A batch is over when nothing is running or queued any more (and not because of a pause or an outage):
 *   then "12 files uploaded", counted from the jobs that reached `done` during the batch.
 * - New failures (the summary's failed count going up) are told without waiting for the batch to end. They
 *   are counted from the summary only, so a failure is never counted twice from two events.
 * - At most one notice per `minIntervalMs` (30 s): what arrives meanwhile is held and merged into the next
 *   one, never dropped, so a burst of 500 failures makes one notification, not 500.
 */
export function createNotificationPolicy(
  options: { minIntervalMs?: number; labels?: Partial<NoticeLabels> } = {},
): NotificationPolicy {
  const minInterval = options.minIntervalMs ?? 30_000
  let words = { ...ENGLISH_NOTICE_LABELS, ...options.labels }
  let batchUploads = new Set<number>()
  let newFailures = 0
  let readyUploads = 0
  let lastFailed: number | undefined
  let batchActive = false
  let lastShownAt: number | undefined

  const hasNotice = () => newFailures > 0 || readyUploads > 0
  const allowedAt = () => (lastShownAt === undefined ? Number.NEGATIVE_INFINITY : lastShownAt + minInterval)

  function take(now: number): Notice | undefined {
    if (!hasNotice() || now < allowedAt()) return undefined
    const failed = newFailures
    const uploaded = readyUploads
    newFailures = 0
    readyUploads = 0
    lastShownAt = now
    return failed > 0
      ? { kind: 'failed', title: words.failedTitle(failed), body: words.failedBody(uploaded) }
      : { kind: 'uploaded', title: words.uploadedTitle(uploaded), body: words.uploadedBody }
  }

  return {
    jobChanged(job) {
      // A set: a job reported done twice is still one file.
      if (job.state === 'done') batchUploads.add(job.id)
    },
    statusChanged(status, now) {
      // The first summary only sets the baseline: failures from an earlier session are not news.
      if (lastFailed !== undefined && status.failed > lastFailed) newFailures += status.failed - lastFailed
      lastFailed = status.failed
      const active = status.running + status.queued > 0
      const halted = status.pausedByUser || status.state === 'paused' || status.state === 'offline'
      if (active) batchActive = true
      else if (batchActive && !halted) {
        batchActive = false
        readyUploads += batchUploads.size
        batchUploads = new Set()
      }
      return take(now)
    },
    setLabels(labels) {
      words = { ...ENGLISH_NOTICE_LABELS, ...labels }
    },
    poll: take,
    waitFor(now) {
      return hasNotice() ? Math.max(0, allowedAt() - now) : undefined
    },
  }
}
