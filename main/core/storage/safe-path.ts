import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { type FileHandle, lstat, mkdir, open, realpath } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { ErrorParams } from '../../../preload/contract/errors'
import { AppError } from '../errors'
import { makeFolders } from '../make-folders'

// The one place that decides where a downloaded (or dropped) object may be written. Keys are untrusted: anyone
// with write access to the bucket chooses them.

/**
 * Names Windows gives to devices whatever the extension (CON.txt is the console): CON, PRN, AUX, NUL, COM0-9 and
 * LPT0-9 (also with the superscript digits ¹²³ Windows accepts there), CONIN$ and CONOUT$.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i
/** Characters that reorder how a name is displayed ("gpj.exe" shown as "exe.jpg"): never part of a file name. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
/** The longest file name (bytes) Linux, macOS and Windows file systems take, and Linux's longest path. */
export const MAX_NAME_BYTES = 255
export const MAX_PATH_BYTES = 4095

/** A key refused, with why: `reason` names its catalogue sentence (errorCauses.unsafe*) and what that names. */
function unsafe(key: string, why: string, reason: ErrorParams): AppError {
  return new AppError(
    'UNSAFE_PATH',
    `The object "${key}" cannot be saved safely: ${why}. Nothing was written.`,
    { params: { ...reason, key } },
  )
}

/**
 * A target folder must be a full path: a relative one would be resolved against the working folder of whatever
 * process runs the download (the web UI's server), not a folder the user chose.
 */
export function assertAbsoluteTarget(targetDir: string): void {
  if (!isAbsolute(targetDir)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `The target folder "${targetDir}" is a relative path: choose a full path such as /home/me/Downloads.`,
      { params: { rule: 'targetRelative', folder: targetDir } },
    )
  }
}

function checkSegment(key: string, segment: string): void {
  if (segment === '..' || segment === '.')
    throw unsafe(key, 'it climbs out of the target folder', { cause: 'unsafeClimbs' })
  if (segment === '') throw unsafe(key, 'it contains an empty path segment', { cause: 'unsafeEmptySegment' })
  if (WINDOWS_RESERVED.test(segment)) {
    throw unsafe(key, `"${segment}" is a reserved file name on Windows`, {
      cause: 'unsafeReservedName',
      segment,
    })
  }
  if (/[ .]$/.test(segment))
    throw unsafe(key, 'a path segment ends with a dot or space', { cause: 'unsafeTrailingDot' })
  if (segment.includes(':')) {
    throw unsafe(key, `"${segment}" contains ":" (on Windows that writes a hidden alternate data stream)`, {
      cause: 'unsafeColon',
      segment,
    })
  }
  if (BIDI_CONTROLS.test(segment)) {
    throw unsafe(key, 'it contains invisible text-direction characters that can disguise its real name', {
      cause: 'unsafeBidi',
    })
  }
  if (Buffer.byteLength(segment) > MAX_NAME_BYTES) {
    throw unsafe(key, `a name in it is longer than the ${MAX_NAME_BYTES} bytes file systems allow`, {
      cause: 'unsafeNameTooLong',
      limit: MAX_NAME_BYTES,
    })
  }
}

/**
 * Maps an object key to a path inside `targetDir` that cannot escape it. Refused: NUL and control characters,
 * `..` and `.` segments (with `/` or `\` as separator), absolute keys and drive letters, Windows reserved names,
 * `:`, text-direction controls, names or paths too long for the file system, and folder markers.
 */
export function safeLocalPath(targetDir: string, key: string): string {
  assertAbsoluteTarget(targetDir)
  if (key.length === 0 || key.endsWith('/'))
    throw unsafe(key, 'it names a folder, not a file', { cause: 'unsafeFolderKey' })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(key))
    throw unsafe(key, 'it contains control characters', { cause: 'unsafeControl' })
  if (key.startsWith('/') || key.startsWith('\\') || /^[a-zA-Z]:/.test(key) || isAbsolute(key)) {
    throw unsafe(key, 'it is an absolute path', { cause: 'unsafeAbsolute' })
  }
  const segments = key.split(/[/\\]/)
  for (const segment of segments) checkSegment(key, segment)
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
    throw unsafe(key, 'it resolves outside the target folder', { cause: 'unsafeOutside' })
  }
  if (Buffer.byteLength(target) > MAX_PATH_BYTES) {
    throw unsafe(
      key,
      `its path would be longer than the ${MAX_PATH_BYTES + 1} bytes the file system allows`,
      {
        cause: 'unsafePathTooLong',
        limit: MAX_PATH_BYTES + 1,
      },
    )
  }
  return target
}

/**
 * Creates the folders between `targetDir` and `path` one at a time, refusing any that is a link (or not a
 * folder): a link planted in the target (`photos -> /etc`) is never followed. The target folder itself is the
 * user's choice and may be a link. Answers the real path the file's folder must have.
 */
async function prepareFolders(targetDir: string, path: string, key: string): Promise<string> {
  await makeFolders(targetDir)
  let real = await realpath(targetDir)
  let current = resolve(targetDir)
  for (const segment of relative(current, dirname(path)).split(sep).filter(Boolean)) {
    current = join(current, segment)
    real = join(real, segment)
    await mkdir(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
    const entry = await lstat(current)
    if (!entry.isDirectory()) {
      const link = entry.isSymbolicLink()
      throw unsafe(
        key,
        `${current} is ${link ? 'a link' : 'not a folder'}: links in the target folder are not followed`,
        link
          ? { cause: 'unsafeLinkInTarget', folder: current }
          : { cause: 'unsafeNotFolderInTarget', folder: current },
      )
    }
  }
  return real
}

/**
 * A new, empty partial file beside where `path` will go: created exclusively and without following links
 * (O_EXCL | O_NOFOLLOW), owner-only until it is complete, under a short random name so that a key with a long
 * name does not overflow the file system's limit. Its folder is checked again once the file is open: a folder
 * swapped for a link meanwhile is caught.
 */
export async function createPartialFile(
  targetDir: string,
  path: string,
  key: string,
  suffix: string,
): Promise<{ temp: string; handle: FileHandle }> {
  const realFolder = await prepareFolders(targetDir, path, key)
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}${suffix}`)
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  const handle = await open(temp, flags, 0o600)
  if ((await realpath(dirname(temp))) !== realFolder) {
    await handle.close()
    throw unsafe(key, 'a folder of the target was replaced by a link while downloading', {
      cause: 'unsafeSwapped',
    })
  }
  return { temp, handle }
}
