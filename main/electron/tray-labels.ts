import type { AppLocale } from '../../preload/contract/i18n/locales'
import { type MessageParams, translate } from '../../preload/contract/i18n/translate'
import { causeLine, type StatusCause } from '../../preload/contract/status-causes'

/**
 * Every word the tray and its notifications show, in one replaceable object, so the pure functions that
 * build them can be translated (and tested) without touching their logic.
 */
export interface TrayLabels {
  appName: string
  upToDate: string
  uploading: (running: number, waiting: number) => string
  waiting: (count: number) => string
  paused: (waiting: number) => string
  /** `retryInSeconds`: when the next attempt is due, if known (0: retrying now). */
  offline: (waiting: number, retryInSeconds?: number) => string
  attention: string
  /** One cause named on one menu line ("Disk full: The disk is full: ..."), cut to fit. */
  cause: (cause: StatusCause) => string
  /** More causes than the menu names: "and 2 more problems (open the window)". */
  moreCauses: (count: number) => string
  failed: (count: number) => string
  lastSync: (when: string) => string
  never: string
  justNow: string
  minutesAgo: (minutes: number) => string
  hoursAgo: (hours: number) => string
  onDay: (isoDay: string) => string
  pauseAll: string
  resumeAll: string
  openWindow: string
  openFolder: (name: string, paused: boolean) => string
  moreFolders: (count: number) => string
  quit: string
}

/** Tray menus show one line per entry; longer ones are cut (the window shows the whole sentence). */
const MAX_CAUSE_LINE = 90
const cut = (text: string) => (text.length <= MAX_CAUSE_LINE ? text : `${text.slice(0, MAX_CAUSE_LINE - 1)}…`)

/** The tray's words in `locale`, from the catalogue the window uses (desktop.tray, statusCauses). */
export function trayLabels(locale: AppLocale): TrayLabels {
  const w = (key: string, params?: MessageParams, count?: number) =>
    translate(locale, `desktop.tray.${key}`, params, count)
  const files = (n: number) => w('files', {}, n)
  const withWaiting = (line: string, waiting: number) =>
    waiting > 0 ? w('withWaiting', { line }, waiting) : line
  return {
    appName: translate(locale, 'app.name'),
    upToDate: w('upToDate'),
    uploading: (running, waiting) =>
      waiting > 0
        ? w('uploadingWaiting', { files: files(running), waiting })
        : w('uploading', { files: files(running) }),
    waiting: (count) => w('waiting', {}, count),
    paused: (waiting) => (waiting > 0 ? w('pausedWaiting', { waiting }) : w('paused')),
    offline: (waiting, retryIn) => {
      const retry =
        retryIn === undefined ? undefined : retryIn > 0 ? w('retryIn', { seconds: retryIn }) : w('retryNow')
      return withWaiting(retry === undefined ? w('offline') : w('offlineRetry', { retry }), waiting)
    },
    attention: w('attention'),
    cause: (cause) => cut(causeLine(cause, locale)),
    moreCauses: (count) => w('moreCauses', {}, count),
    failed: (count) => w('failed', { n: count }),
    lastSync: (when) => w('lastSync', { when }),
    never: w('never'),
    justNow: w('justNow'),
    minutesAgo: (minutes) => w('minutesAgo', { n: minutes }),
    hoursAgo: (hours) => w('hoursAgo', { n: hours }),
    onDay: (isoDay) => w('onDay', { day: isoDay }),
    pauseAll: w('pauseAll'),
    resumeAll: w('resumeAll'),
    openWindow: w('openWindow'),
    openFolder: (name, paused) => w(paused ? 'openFolderPaused' : 'openFolder', { name }),
    moreFolders: (count) => w('moreFolders', { n: count }),
    quit: w('quit'),
  }
}

export const ENGLISH_TRAY_LABELS: TrayLabels = trayLabels('en')
