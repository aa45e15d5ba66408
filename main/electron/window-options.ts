import type { BrowserWindowConstructorOptions } from 'electron'

export interface WindowChoices {
  /** DevTools only in development builds: in a packaged app they are a way around the CSP. */
  devTools?: boolean
  /** Window icon (Linux uses it in the task bar; Windows and macOS take it from the package). */
  icon?: string
}

/**
 * The window's security settings in one pure function, so a test can check each item of Electron's
 * security checklist without an Electron binary. The window starts hidden and is shown once painted (or
 * stays in the tray when the app was started at login).
 */
export function secureWindowOptions(
  preloadPath: string,
  choices: WindowChoices = {},
): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'OBS Sync',
    autoHideMenuBar: true,
    ...(choices.icon ? { icon: choices.icon } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: choices.devTools ?? false,
      spellcheck: false,
    },
  }
}
