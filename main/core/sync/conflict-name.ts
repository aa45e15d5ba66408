import { posix } from 'node:path'

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/**
 * Syncthing's convention for keeping both versions: `name.sync-conflict-YYYYMMDD-HHMMSS.ext`, here applied to
 * the object key of the local version, so the remote object that changed behind our back stays untouched.
 */
export function conflictKey(key: string, at: Date): string {
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(
    at.getUTCMinutes(),
  )}${pad(at.getUTCSeconds())}`
  const dir = posix.dirname(key)
  const base = posix.basename(key)
  const dot = base.lastIndexOf('.')
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, '']
  const name = `${stem}.sync-conflict-${stamp}${ext}`
  return dir === '.' ? name : `${dir}/${name}`
}
