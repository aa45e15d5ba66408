import type { MenuItemConstructorOptions } from 'electron'
import type { AppLocale } from '../../preload/contract/i18n/locales'
import { translate } from '../../preload/contract/i18n/translate'

/**
 * The application menu, in `locale` (the catalogue the window uses: desktop.menu). Quit is our own item (not the
 * 'quit' role) so it goes through the clean shutdown; Edit keeps copy/paste shortcuts working on macOS. Role
 * items get our labels: Electron's own role labels are English whatever the language. Reload and DevTools exist
 * only in development builds: Electron's default menu would offer them to every user.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: { quit(): void; showWindow(): void },
  devTools = false,
  locale: AppLocale = 'en',
): MenuItemConstructorOptions[] {
  const w = (key: string) => translate(locale, `desktop.menu.${key}`)
  const quit: MenuItemConstructorOptions = {
    label: platform === 'darwin' ? w('quitApp') : w('quit'),
    accelerator: 'CmdOrCtrl+Q',
    click: () => actions.quit(),
  }
  const edit: MenuItemConstructorOptions = {
    label: w('edit'),
    submenu: [
      { role: 'undo', label: w('undo') },
      { role: 'redo', label: w('redo') },
      { type: 'separator' },
      { role: 'cut', label: w('cut') },
      { role: 'copy', label: w('copy') },
      { role: 'paste', label: w('paste') },
      { role: 'selectAll', label: w('selectAll') },
    ],
  }
  // Electron's 'viewMenu' role, item by item, so that each has our label (the role's own are English).
  const view: MenuItemConstructorOptions = {
    label: w('view'),
    submenu: [
      { role: 'reload', label: w('reload') },
      { role: 'forceReload', label: w('forceReload') },
      { role: 'toggleDevTools', label: w('toggleDevTools') },
      { type: 'separator' },
      { role: 'resetZoom', label: w('resetZoom') },
      { role: 'zoomIn', label: w('zoomIn') },
      { role: 'zoomOut', label: w('zoomOut') },
      { type: 'separator' },
      { role: 'togglefullscreen', label: w('toggleFullScreen') },
    ],
  }
  const dev = devTools ? [view] : []
  if (platform === 'darwin') {
    return [
      {
        label: translate(locale, 'app.name'),
        submenu: [
          { role: 'about', label: w('about') },
          { type: 'separator' },
          { role: 'hide', label: w('hide') },
          { role: 'unhide', label: w('unhide') },
          quit,
        ],
      },
      edit,
      ...dev,
      {
        label: w('window'),
        role: 'window',
        submenu: [
          { label: w('showApp'), click: () => actions.showWindow() },
          { role: 'minimize', label: w('minimize') },
        ],
      },
    ]
  }
  return [{ label: w('file'), submenu: [{ label: w('closeWindow'), role: 'close' }, quit] }, edit, ...dev]
}
