import { posix } from 'node:path'
import { AppError } from '../errors'
import { listObjectPage, type ObjectLister, walkObjects } from '../storage/browse'
import type { ErrorContext } from '../storage/classify-error'

/** One object of a download batch and the name it gets under the target folder. */
export interface PlannedObject {
  key: string
  /** Path under the target folder, `/`-separated: the key below the selected item's parent folder. */
  localName: string
  size: number
  lastModified?: string
}

/** A selection entry naming a folder: a prefix ending in `/`, or '' for the whole bucket. */
function isFolder(selected: string): boolean {
  return selected === '' || selected.endsWith('/')
}

/** The folder a selected key or prefix sits in: `a/b/` for `a/b/c.txt` and for `a/b/c/`. */
function parentPrefix(selected: string): string {
  const trimmed = selected.endsWith('/') ? selected.slice(0, -1) : selected
  const dir = posix.dirname(trimmed)
  return dir === '.' ? '' : `${dir}/`
}

/**
 * Expands a selection as a file manager would: a file lands as its own name in the target folder, a folder
 * (a prefix ending in `/`) lands as that folder with everything under it. Folder markers (keys ending in `/`)
 * carry no content and are left out. A key that does not exist is reported in `missing`.
 */
export async function planDownload(
  lister: ObjectLister,
  bucket: string,
  selection: readonly string[],
  context: ErrorContext = {},
  onListed: (count: number) => void = () => {},
): Promise<{ objects: PlannedObject[]; missing: string[] }> {
  const objects: PlannedObject[] = []
  const missing: string[] = []
  const seen = new Set<string>()
  function add(key: string, size: number, lastModified: string | undefined, base: string): void {
    const localName = key.slice(base.length)
    // The same object selected twice the same way (a file and its folder) is fetched once per target name.
    if (key.endsWith('/') || seen.has(`${key}\0${localName}`)) return
    seen.add(`${key}\0${localName}`)
    objects.push({ key, localName, size, lastModified })
    if (objects.length % 1000 === 0) onListed(objects.length)
  }
  async function addFolder(prefix: string, base: string): Promise<number> {
    let count = 0
    for await (const o of walkObjects(lister, bucket, prefix, context)) {
      add(o.key, o.size, o.lastModified, base)
      count++
    }
    return count
  }
  for (const selected of selection) {
    const base = parentPrefix(selected)
    if (isFolder(selected)) {
      await addFolder(selected, base)
      continue
    }
    // The key itself sorts first among the keys it prefixes, so one entry answers whether it exists.
    const page = await listObjectPage(lister, bucket, { prefix: selected, pageSize: 1 }, context)
    const found = page.objects[0]
    if (found?.key === selected) add(found.key, found.size, found.lastModified, base)
    // `photos` typed without its slash still means the folder when there is no object of that name.
    else if (found === undefined || (await addFolder(`${selected}/`, base)) === 0) missing.push(selected)
  }
  if (objects.length === 0 && missing.length === 0) {
    throw new AppError('NOT_FOUND', 'There is nothing to download: the selected folders are empty.', {
      params: { cause: 'nothingToDownload' },
    })
  }
  onListed(objects.length)
  return { objects, missing }
}
