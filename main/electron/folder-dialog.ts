import { BrowserWindow, dialog } from 'electron'
import type { NativeFolderPicker } from '../ipc/handlers'

/**
 * The desktop app's answer to `local:pick-folder`: the system's own folder dialog, modal to the window in
 * front (the web UI gets the in-page picker from the same channel instead).
 */
export function createNativeFolderPicker(): NativeFolderPicker {
  return async ({ title, startPath }) => {
    const options: Electron.OpenDialogOptions = {
      title: title ?? 'Choose a folder',
      defaultPath: startPath,
      properties: ['openDirectory', 'createDirectory'],
    }
    const parent = BrowserWindow.getFocusedWindow()
    const answer = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options)
    return answer.canceled ? undefined : answer.filePaths[0]
  }
}
