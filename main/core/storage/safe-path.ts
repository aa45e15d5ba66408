import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { AppError } from '../errors'

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

function unsafe(key: string, why: string): AppError {
  return new AppError(
    'UNSAFE_PATH',
    `The object "${key}" cannot be saved safely: ${why}. Nothing was written.`,
  )
}

/**
 * Maps an object key to a path inside `targetDir` that cannot escape it. Keys are untrusted: anyone with
 * write access to the bucket chooses them. Refused: NUL and control characters, `..` and `.` segments (with
 * `/` or `\` as separator), absolute keys and drive letters, Windows reserved names, and folder markers.
 */
export function safeLocalPath(targetDir: string, key: string): string {
  if (key.length === 0 || key.endsWith('/')) throw unsafe(key, 'it names a folder, not a file')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(key)) throw unsafe(key, 'it contains control characters')
  if (key.startsWith('/') || key.startsWith('\\') || /^[a-zA-Z]:/.test(key) || isAbsolute(key)) {
    throw unsafe(key, 'it is an absolute path')
  }
  const segments = key.split(/[/\\]/)
  for (const segment of segments) {
    if (segment === '..' || segment === '.') throw unsafe(key, 'it climbs out of the target folder')
    if (segment === '') throw unsafe(key, 'it contains an empty path segment')
    if (WINDOWS_RESERVED.test(segment)) throw unsafe(key, `"${segment}" is a reserved file name`)
    if (/[ .]$/.test(segment)) throw unsafe(key, 'a path segment ends with a dot or space')
  }
  const base = resolve(targetDir)
  const target = resolve(join(base, ...segments))
  const rel = relative(base, target)
  if (
    rel === '' ||
    rel === '..' ||
    rel.startsWith(`..${sep}`) ||
    isAbsolute(rel) ||
    !target.startsWith(base + sep)
  ) {
    throw unsafe(key, 'it resolves outside the target folder')
  }
  return target
}
