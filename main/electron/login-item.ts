import type { App } from 'electron'

/** Passed by the OS on a start at login: the app then starts in the tray without opening its window. */
export const START_HIDDEN_ARG = '--hidden'

/**
 * Start at login, driven by the user's setting. Electron's login items exist on Windows and macOS only
 * (Linux would need an XDG autostart file); returns whether the setting could be applied.
 */
export function applyStartAtLogin(
  app: Pick<App, 'setLoginItemSettings'>,
  enabled: boolean,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform !== 'win32' && platform !== 'darwin') return false
  app.setLoginItemSettings({ openAtLogin: enabled, args: enabled ? [START_HIDDEN_ARG] : [] })
  return true
}

/** True when the app was started at login and should stay in the tray until the user opens it. */
export function startsHidden(argv: readonly string[]): boolean {
  return argv.includes(START_HIDDEN_ARG)
}
