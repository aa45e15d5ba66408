import { realpath, stat } from 'node:fs/promises'
import { AppError } from '../errors'

/**
 * A watched folder must be a directory, when it is added and each time it is started or opened: a file in its
 * place would be "opened" by the desktop shell, which runs an executable. The folder itself may be a link to a
 * directory (the user chose that path); links inside it are never followed (folder-walk.ts).
 * Returns the folder's real path: whoever opens it opens that, not a name that could be swapped meanwhile.
 */
export async function assertWatchableFolder(path: string): Promise<string> {
  let real: string
  try {
    real = await realpath(path)
    if ((await stat(real)).isDirectory()) return real
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('NOT_FOUND', `The folder ${path} does not exist (any more).`, {
        params: { cause: 'folderGone', folder: path },
      })
    }
    const errno = code ?? 'unknown error'
    throw new AppError('SOURCE_UNREADABLE', `The folder ${path} cannot be read (${errno}).`, {
      params: { cause: 'folderUnreadable', folder: path, errno },
    })
  }
  throw new AppError('INVALID_ARGUMENT', `${path} is not a folder: only a folder can be watched or opened.`, {
    params: { cause: 'notAFolder', folder: path },
  })
}
