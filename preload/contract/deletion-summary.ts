import type { BucketVersioning, DeletePlan } from './browser-models'
import type { AppLocale } from './i18n/locales'
import { translate } from './i18n/translate'

/**
 * The question asked before a delete, naming what goes: "Delete 3 objects and the folder photos/ (1,204
 * objects)?". Shared by the GUI (in the window's language) and the CLI (English), worded from the catalogue.
 */
export function deletionQuestion(plan: DeletePlan, bucket: string, locale: AppLocale = 'en'): string {
  const w = (key: string, params?: Record<string, string>) => translate(locale, `deletion.${key}`, params)
  const counted = (key: 'objects' | 'folders', n: number) =>
    translate(locale, `deletion.${key}`, { n: n.toLocaleString(locale) }, n)
  const parts: string[] = []
  if (plan.objectCount > 0) parts.push(counted('objects', plan.objectCount))
  const folders = plan.folders.map((f) =>
    w('withCount', { name: f.prefix, objects: counted('objects', f.objectCount) }),
  )
  if (folders.length === 1) parts.push(w('oneFolder', { folder: folders[0] ?? '' }))
  else if (folders.length > 1 && folders.length <= 3) {
    const list = folders.slice(0, -1).join(w('listSeparator'))
    parts.push(w('someFolders', { list, last: folders[folders.length - 1] ?? '' }))
  } else if (folders.length > 3) {
    const inFolders = plan.folders.reduce((sum, f) => sum + f.objectCount, 0)
    parts.push(
      w('withCount', { name: counted('folders', folders.length), objects: counted('objects', inFolders) }),
    )
  }
  const what =
    parts.length === 2
      ? w('both', { objects: parts[0] ?? '', folders: parts[1] ?? '' })
      : (parts[0] ?? w('nothing'))
  return w('question', { what, bucket })
}

/** What a delete does in a bucket that keeps versions, or undefined where it simply removes the objects. */
export function versioningNote(versioning: BucketVersioning, locale: AppLocale = 'en'): string | undefined {
  if (versioning === 'enabled') return translate(locale, 'deletion.versionsEnabled')
  if (versioning === 'suspended') return translate(locale, 'deletion.versionsSuspended')
  if (versioning === 'unknown') return translate(locale, 'deletion.versionsUnknown')
  return undefined
}
