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

const files = (n: number) => (n === 1 ? '1 file' : `${n} files`)
/** Tray menus show one line per entry; longer ones are cut (the window shows the whole sentence). */
const MAX_CAUSE_LINE = 90
const cut = (text: string) => (text.length <= MAX_CAUSE_LINE ? text : `${text.slice(0, MAX_CAUSE_LINE - 1)}…`)

export const ENGLISH_TRAY_LABELS: TrayLabels = {
  appName: 'OBS Sync',
  upToDate: 'Up to date',
  uploading: (running, waiting) => `Uploading ${files(running)}${waiting > 0 ? `, ${waiting} waiting` : ''}`,
  waiting: (count) => `${files(count)} waiting`,
  paused: (waiting) => (waiting > 0 ? `Paused, ${waiting} waiting` : 'Paused'),
  offline: (waiting, retryIn) =>
    `Offline${retryIn === undefined ? '' : retryIn > 0 ? `, retrying in ${retryIn} s` : ', retrying now'}${waiting > 0 ? ` (${files(waiting)} waiting)` : ''}`,
  attention: 'Needs attention',
  cause: (cause) => cut(causeLine(cause)),
  moreCauses: (count) => `and ${count === 1 ? '1 more problem' : `${count} more problems`} (open the window)`,
  failed: (count) => `${count} failed`,
  lastSync: (when) => `Last sync: ${when}`,
  never: 'never',
  justNow: 'just now',
  minutesAgo: (minutes) => `${minutes} min ago`,
  hoursAgo: (hours) => `${hours} h ago`,
  onDay: (isoDay) => `on ${isoDay}`,
  pauseAll: 'Pause all',
  resumeAll: 'Resume all',
  openWindow: 'Open OBS Sync',
  openFolder: (name, paused) => `Open ${name}${paused ? ' (paused)' : ''}`,
  moreFolders: (count) => `${count} more folders…`,
  quit: 'Quit OBS Sync',
}
