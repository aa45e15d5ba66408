import { realpathSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { SAME_NAME, type SkippedPath, SPECIAL, unreadable } from '../sync/folder-walk'
import { createIgnoreRules } from '../sync/ignore-rules'
import { scanFolder } from '../sync/scan-folder'

export interface SourceFile {
  path: string
  /** Object key relative to the target prefix: the dropped folder's name, then the path inside it. */
  relativeKey: string
  size: number
  mtimeMs: number
}

export interface Expansion {
  files: SourceFile[]
  skipped: SkippedPath[]
}

/**
 * Turns dropped files and folders into the files to upload. A dropped folder is walked exactly as a watched
 * folder is scanned (scan-folder.ts): the same folder-walk rule (regular files only; links and special files
 * skipped and reported, see sync/folder-walk.ts) and the same ignore rules (defaults and `.obsignore` files),
 * so the same tree yields the same files whether it is dropped or synced. A path the user named is taken as
 * named, even when it is a link; its job reads the link's target, so the check at upload time (which refuses
 * links) holds too.
 *
 * Each object gets one file: a file named twice (the same file by another path too) is taken once, and a second
 * file whose key is taken (two dropped files or folders of one name) is skipped and reported rather than sent to
 * the same object, where whichever upload ended last would win.
 */
export async function expandPaths(paths: string[]): Promise<Expansion> {
  const result: Expansion = { files: [], skipped: [] }
  const skip = (skipped: SkippedPath) => result.skipped.push(skipped)
  for (const path of paths) {
    let real: string
    try {
      real = realpathSync(path)
      const info = statSync(real)
      if (info.isFile())
        result.files.push({ path: real, relativeKey: basename(path), size: info.size, mtimeMs: info.mtimeMs })
      else if (!info.isDirectory()) skip({ path, ...SPECIAL })
      if (!info.isDirectory()) continue
    } catch (error) {
      skip({ path, ...unreadable(error) })
      continue
    }
    const folderName = basename(path)
    for await (const folder of scanFolder(real, createIgnoreRules(real, skip), skip))
      for (const file of folder.files)
        result.files.push({
          path: file.absPath,
          relativeKey: `${folderName}/${file.relPath}`,
          size: file.size,
          mtimeMs: file.mtimeMs,
        })
  }
  const fileOfKey = new Map<string, string>()
  result.files = result.files.filter((file) => {
    const first = fileOfKey.get(file.relativeKey)
    if (first === undefined) fileOfKey.set(file.relativeKey, file.path)
    else if (first !== file.path) skip({ path: file.path, ...SAME_NAME })
    return first === undefined
  })
  return result
}
