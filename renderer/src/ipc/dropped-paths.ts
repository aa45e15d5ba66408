/**
 * Local paths of files the user dropped or picked. Only the desktop app can tell them: its preload bridge has
 * `pathsForFiles(files)` (Electron's webUtils.getPathForFile). A browser never reveals where a file lives, so in
 * the web UI these return no paths and the upload dialog asks the user to type them.
 *
 * This is the only module besides the transports that touches `window.api`.
 */

/** True where picked or dropped files come with their local paths (the desktop app). */
export function canResolveFilePaths(win: Window = window): boolean {
  return typeof win.api?.pathsForFiles === 'function'
}

/** Paths of the given files, or [] where they cannot be known. Files without a path are left out. */
export function pathsOfFiles(
  files: FileList | readonly File[] | null | undefined,
  win: Window = window,
): string[] {
  const list = files ? Array.from(files) : []
  const resolve = win.api?.pathsForFiles
  if (!resolve || list.length === 0) return []
  try {
    return resolve.call(win.api, list).filter((path) => typeof path === 'string' && path !== '')
  } catch {
    return []
  }
}

/** Paths of the files and folders in a drop (main uploads folders recursively). */
export function droppedPaths(dataTransfer: DataTransfer | null, win: Window = window): string[] {
  return pathsOfFiles(dataTransfer?.files, win)
}

/** Names of dropped files, to remind a web UI user what to type. */
export function droppedNames(dataTransfer: DataTransfer | null): string[] {
  return Array.from(dataTransfer?.files ?? []).map((file) => file.name)
}
