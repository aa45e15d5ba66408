import type { StatusSummary } from '../../preload/contract/queue-models'
import { ENGLISH_TRAY_LABELS, type TrayLabels } from './tray-labels'

/** The tray icons that exist (build/tray/<state>.png). */
export const TRAY_ICON_STATES = ['idle', 'syncing', 'paused', 'error', 'offline'] as const
export type TrayIconState = (typeof TRAY_ICON_STATES)[number]

/**
 * Which icon the summary calls for. A user's pause wins (it explains why nothing moves), then activity,
 * then being offline; failures show red once nothing else is going on.
 */
export function trayIconState(status: StatusSummary): TrayIconState {
  if (status.pausedByUser || status.state === 'paused') return 'paused'
  if (status.state === 'syncing') return 'syncing'
  if (status.state === 'offline') return 'offline'
  if (status.state === 'error' || status.failed > 0) return 'error'
  return 'idle'
}

/** "just now", "5 min ago", "3 h ago", or the day (UTC, yyyy-mm-dd) for anything older than a day. */
export function relativeTime(iso: string | undefined, now: Date, labels: TrayLabels): string {
  const then = iso ? Date.parse(iso) : Number.NaN
  if (Number.isNaN(then)) return labels.never
  const minutes = Math.floor(Math.max(0, now.getTime() - then) / 60_000)
  if (minutes < 1) return labels.justNow
  if (minutes < 60) return labels.minutesAgo(minutes)
  if (minutes < 24 * 60) return labels.hoursAgo(Math.floor(minutes / 60))
  return labels.onDay(new Date(then).toISOString().slice(0, 10))
}

/** Causes named in the tray menu; more are counted (the window lists them all). */
const MAX_CAUSES_SHOWN = 2

/**
 * The status lines shown at the top of the tray menu and in the tooltip: what is happening, how many
 * failed (if any), and when the last sync finished.
 */
export function statusLines(status: StatusSummary, now: Date, labels: TrayLabels): string[] {
  const waiting = status.queued + status.paused + status.running
  const lines: string[] = []
  if (status.pausedByUser || status.state === 'paused') lines.push(labels.paused(waiting))
  else if (status.state === 'syncing')
    lines.push(
      status.running > 0 ? labels.uploading(status.running, status.queued) : labels.waiting(status.queued),
    )
  else if (status.state === 'offline') lines.push(labels.offline(waiting, retryInSeconds(status, now)))
  else if (status.failed === 0 && status.causes.length === 0)
    lines.push(status.state === 'error' ? labels.attention : labels.upToDate)
  // The cause, not only a count: what stops the uploads (disk full, offline, an account, a missing folder...).
  for (const cause of status.causes.slice(0, MAX_CAUSES_SHOWN)) lines.push(labels.cause(cause))
  if (status.causes.length > MAX_CAUSES_SHOWN)
    lines.push(labels.moreCauses(status.causes.length - MAX_CAUSES_SHOWN))
  if (status.failed > 0) lines.push(labels.failed(status.failed))
  lines.push(labels.lastSync(relativeTime(status.lastSyncAt, now, labels)))
  return lines
}

/** Whole seconds until the next retry of a waiting job, when the summary says when that is. */
export function retryInSeconds(status: StatusSummary, now: Date): number | undefined {
  const at = status.retryAt ? Date.parse(status.retryAt) : Number.NaN
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000))
}

/** Windows cuts tray tooltips at 127 characters; the first lines matter most. */
const MAX_TOOLTIP = 127

export function trayTooltip(status: StatusSummary, now: Date, labels: Partial<TrayLabels> = {}): string {
  const words = { ...ENGLISH_TRAY_LABELS, ...labels }
  const text = [words.appName, ...statusLines(status, now, words)].join('\n')
  return text.length <= MAX_TOOLTIP ? text : `${text.slice(0, MAX_TOOLTIP - 1)}…`
}
