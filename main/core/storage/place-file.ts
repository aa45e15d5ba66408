import { constants } from 'node:fs'
import { copyFile, link, rename, rm } from 'node:fs/promises'
import { AppError } from '../errors'

/** Errors of file systems without hard links (FAT, exFAT, some network shares): a copy does instead. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'])

function kept(path: string): AppError {
  return new AppError(
    'FILE_EXISTS',
    `"${path}" is already there (it appeared during the download); it was kept.`,
    { params: { path } },
  )
}

/**
 * Moves a finished download from its temporary file to `path`. With `replace`, a file there is replaced (one
 * atomic rename). Without, nothing there is ever replaced, even a file that appeared after the name clash was
 * checked: a hard link (or, where the file system has none, a copy opened with O_EXCL) fails when the name exists,
 * link or not, so the decision and the write cannot race. The temporary file is gone afterwards either way.
 */
export async function placeFile(temp: string, path: string, replace: boolean): Promise<void> {
  if (replace) return rename(temp, path)
  try {
    await link(temp, path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (code === 'EEXIST') {
      await rm(temp, { force: true })
      throw kept(path)
    }
    if (!NO_HARD_LINKS.has(code)) {
      await rm(temp, { force: true })
      throw error
    }
    try {
      await copyFile(temp, path, constants.COPYFILE_EXCL)
    } catch (copyError) {
      await rm(temp, { force: true })
      throw (copyError as NodeJS.ErrnoException).code === 'EEXIST' ? kept(path) : copyError
    }
  }
  await rm(temp, { force: true })
}
