import type { StatusSummary } from '../../preload/contract/queue-models'
import { ENGLISH_TRAY_LABELS, type TrayLabels } from './tray-labels'
import { statusLines } from './tray-status'

/** What a tray menu entry does; the composition root maps each to a service call or a window action. */
export type TrayAction =
  | { id: 'pause-all' }
  | { id: 'resume-all' }
  | { id: 'open-window' }
  | { id: 'open-folder'; path: string }
  | { id: 'quit' }

export type TrayMenuEntry =
  | { type: 'separator' }
  | { type: 'item'; label: string; enabled: boolean; action?: TrayAction }

/** Beyond this many watched folders the menu links to the window instead of growing off the screen. */
export const MAX_FOLDER_ENTRIES = 10

/**
 * The tray menu as plain data, from the status summary alone, so every state can be tested without
 * Electron: status lines (disabled), pause/resume all, open window, one entry per watched folder, quit.
 */
export function trayMenuTemplate(
  status: StatusSummary,
  now: Date,
  labels: Partial<TrayLabels> = {},
): TrayMenuEntry[] {
  const words = { ...ENGLISH_TRAY_LABELS, ...labels }
  const paused = status.pausedByUser || status.state === 'paused'
  const info = (label: string): TrayMenuEntry => ({ type: 'item', label, enabled: false })
  const item = (label: string, action: TrayAction, enabled = true): TrayMenuEntry => ({
    type: 'item',
    label,
    enabled,
    action,
  })
  const separator: TrayMenuEntry = { type: 'separator' }

  return [
    ...statusLines(status, now, words).map(info),
    separator,
    item(words.pauseAll, { id: 'pause-all' }, !paused),
    item(words.resumeAll, { id: 'resume-all' }, paused || status.paused > 0),
    separator,
    item(words.openWindow, { id: 'open-window' }),
    ...folderEntries(status.watchedFolders, words, item),
    separator,
    item(words.quit, { id: 'quit' }),
  ]
}

function folderEntries(
  folders: StatusSummary['watchedFolders'],
  words: TrayLabels,
  item: (label: string, action: TrayAction) => TrayMenuEntry,
): TrayMenuEntry[] {
  const names = folders.map((folder) => folderName(folder.localPath))
  // Two folders called "Photos" would be indistinguishable by name: show their full paths instead.
  const label = (index: number) => {
    const name = names[index] ?? ''
    return names.filter((other) => other === name).length > 1 ? (folders[index]?.localPath ?? name) : name
  }
  const shown = folders
    .slice(0, MAX_FOLDER_ENTRIES)
    .map((folder, index) =>
      item(words.openFolder(label(index), folder.paused), { id: 'open-folder', path: folder.localPath }),
    )
  const hidden = folders.length - shown.length
  return hidden > 0 ? [...shown, item(words.moreFolders(hidden), { id: 'open-window' })] : shown
}

/** Last segment of a local path, for Windows and POSIX paths alike ("C:\\Users\\me\\Photos" -> "Photos"). */
export function folderName(localPath: string): string {
  const trimmed = localPath.replace(/[\\/]+$/, '')
  const name = trimmed.split(/[\\/]/).pop()
  return name || localPath
}
