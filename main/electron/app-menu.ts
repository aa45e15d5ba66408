import type { MenuItemConstructorOptions } from 'electron'

/**
 * The application menu. Quit is our own item (not the 'quit' role) so it goes through the clean shutdown;
 * Edit keeps copy/paste shortcuts working on macOS. Reload and DevTools exist only in development builds:
 * Electron's default menu would offer them to every user.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: { quit(): void; showWindow(): void },
  devTools = false,
): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = {
    label: platform === 'darwin' ? 'Quit OBS Sync' : 'Quit',
    accelerator: 'CmdOrCtrl+Q',
    click: () => actions.quit(),
  }
  const dev: MenuItemConstructorOptions[] = devTools ? [{ role: 'viewMenu' }] : []
  if (platform === 'darwin') {
    return [
      {
        label: 'OBS Sync',
        submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'unhide' }, quit],
      },
      { role: 'editMenu' },
      ...dev,
      {
        label: 'Window',
        role: 'window',
        submenu: [{ label: 'Show OBS Sync', click: () => actions.showWindow() }, { role: 'minimize' }],
      },
    ]
  }
  return [
    { label: '&File', submenu: [{ label: 'Close window', role: 'close' }, quit] },
    { role: 'editMenu' },
    ...dev,
  ]
}
