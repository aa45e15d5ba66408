import type { BucketVersioning, DeletePlan } from './browser-models'

function count(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`
}

/**
 * The question asked before a delete, naming what goes: "Delete 3 objects and the folder photos/ (1,204
 * objects)?". Shared by the GUI and the CLI so both say the same thing.
 */
export function deletionQuestion(plan: DeletePlan, bucket: string): string {
  const parts: string[] = []
  if (plan.objectCount > 0) parts.push(count(plan.objectCount, 'object'))
  const folders = plan.folders.map((f) => `${f.prefix} (${count(f.objectCount, 'object')})`)
  if (folders.length === 1) parts.push(`the folder ${folders[0]}`)
  else if (folders.length > 1 && folders.length <= 3) {
    parts.push(`the folders ${folders.slice(0, -1).join(', ')} and ${folders[folders.length - 1]}`)
  } else if (folders.length > 3) {
    const inFolders = plan.folders.reduce((sum, f) => sum + f.objectCount, 0)
    parts.push(`${count(folders.length, 'folder')} (${count(inFolders, 'object')})`)
  }
  return `Delete ${parts.join(' and ') || 'nothing'} from "${bucket}"?`
}

/** What a delete does in a bucket that keeps versions, or undefined where it simply removes the objects. */
export function versioningNote(versioning: BucketVersioning): string | undefined {
  if (versioning === 'enabled') {
    return 'This bucket keeps versions: a delete marker is written for each object, and the earlier versions stay stored (and billed) until they are deleted by version.'
  }
  if (versioning === 'suspended') {
    return 'Versioning is suspended on this bucket: a delete marker is written for each object, and versions kept earlier stay stored.'
  }
  if (versioning === 'unknown') {
    return 'Whether this bucket keeps versions could not be read: if it does, delete markers are written and earlier versions stay.'
  }
  return undefined
}
