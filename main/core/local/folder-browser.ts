import type { Dirent } from 'node:fs'
import { readdir, realpath } from 'node:fs/promises'
import { dirname, isAbsolute, join, sep } from 'node:path'
import type { LocalFolderListing } from '../../../preload/contract/local-models'
import { AppError } from '../errors'

/** A folder with more sub-folders than this lists the first ones (sorted), and says so. */
const MAX_FOLDERS = 2000

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)
}

/**
 * The local-folder picker's data, for the web UI (whose browser cannot see the server's disk): sub-folders of
 * a folder under `root`, never anything outside it. Paths are compared after resolving links (real paths), so
 * neither `..` nor a link inside the root leads out; links themselves are not listed (the folder walk does not
 * follow them either). Hidden folders are left out.
 */
export function createFolderBrowser(root: string) {
  async function realRoot(): Promise<string> {
    try {
      return await realpath(root)
    } catch {
      throw new AppError('NOT_FOUND', `The folder picker's root "${root}" does not exist.`, {
        params: { cause: 'pickerRootGone', folder: root },
      })
    }
  }

  return {
    async list(path?: string): Promise<LocalFolderListing> {
      const base = await realRoot()
      if (path !== undefined && !isAbsolute(path)) {
        throw new AppError('INVALID_ARGUMENT', `"${path}" is not an absolute path.`, {
          params: { rule: 'pathNotAbsolute', path },
        })
      }
      let target: string
      try {
        target = path === undefined ? base : await realpath(path)
      } catch {
        throw new AppError('NOT_FOUND', `The folder "${path}" does not exist (or cannot be read).`, {
          params: { cause: 'folderGone', folder: path ?? base },
        })
      }
      if (!inside(base, target)) {
        throw new AppError('UNSAFE_PATH', `The folder picker only shows folders under ${base}.`, {
          params: { cause: 'pickerOutside', folder: base },
        })
      }
      let entries: Dirent[]
      try {
        entries = await readdir(target, { withFileTypes: true })
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code ?? 'EIO'
        throw new AppError('SOURCE_UNREADABLE', `The folder "${target}" cannot be read.`, {
          params: { cause: 'folderUnreadable', folder: target, errno },
        })
      }
      const names = entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort((a, b) => a.localeCompare(b))
      return {
        root: base,
        path: target,
        parent: target === base ? undefined : dirname(target),
        folders: names.slice(0, MAX_FOLDERS).map((name) => ({ name, path: join(target, name) })),
        truncated: names.length > MAX_FOLDERS,
      }
    },
  }
}

export type FolderBrowser = ReturnType<typeof createFolderBrowser>
