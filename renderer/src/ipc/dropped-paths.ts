/**
 * Local paths of files the user dropped or picked. Only Electron can tell them: its shell exposes
 * `window.api.pathsForFiles(files)` (webUtils.getPathForFile under the hood). A browser never reveals where a
 * file lives, so in the web UI these return no paths and the upload dialog asks the user to type them.
 *
 * This is the only module besides the transports that touches `window.api`.
 */
interface PathBridge {
  pathsForFiles(files: File[]): string[]
}

function pathBridge(win: Window): PathBridge | undefined {
  const api = win.api as unknown as Partial<PathBridge> | undefined
  return api && typeof api.pathsForFiles === 'function' ? (api as PathBridge) : undefined
}

/** True where picked or dropped files come with their local paths (Electron). */
export function canResolveFilePaths(win: Window = window): boolean {
  return pathBridge(win) !== undefined
}

/** Paths of the given files, or [] where they cannot be known. Empty strings (no path) are left out. */
export function pathsOfFiles(files: FileList | readonly File[] | null | undefined, win: Window = window): string[] {
  const bridge = pathBridge(win)
  const list = files ? Array.from(files) : []
  if (!bridge || list.length === 0) return []
  try {
    return bridge.pathsForFiles(list).filter((path) => typeof path === 'string' && path !== '')
  } catch {
    return []
  }
}

/** Paths of the files and folders in a drop (folders are uploaded recursively by main). */
export function droppedPaths(dataTransfer: DataTransfer | null, win: Window = window): string[] {
  return pathsOfFiles(dataTransfer?.files, win)
}

/** Names of dropped files, to remind a web UI user what to type. */
export function droppedNames(dataTransfer: DataTransfer | null): string[] {
  return Array.from(dataTransfer?.files ?? []).map((file) => file.name)
}
