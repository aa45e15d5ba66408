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

export const ENGLISH_TRAY_LABELS: TrayLabels = {
  appName: 'OBS Sync',
  upToDate: 'Up to date',
  uploading: (running, waiting) => `Uploading ${files(running)}${waiting > 0 ? `, ${waiting} waiting` : ''}`,
  waiting: (count) => `${files(count)} waiting`,
  paused: (waiting) => (waiting > 0 ? `Paused, ${waiting} waiting` : 'Paused'),
  offline: (waiting, retryIn) =>
    `Offline${retryIn === undefined ? '' : retryIn > 0 ? `, retrying in ${retryIn} s` : ', retrying now'}${waiting > 0 ? ` (${files(waiting)} waiting)` : ''}`,
  attention: 'Needs attention',
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
