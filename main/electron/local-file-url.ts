import { isAbsolute, normalize, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The local path a `file:` URL points to, or undefined for any other URL (http:, a file URL naming another
 * host, a malformed one). Query and fragment are dropped (the renderer may use a #route), `..` segments and
 * percent-encoding are resolved by the URL parser, so two spellings of one file compare equal.
 */
export function localPathOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return undefined
    parsed.search = ''
    parsed.hash = ''
    return normalize(fileURLToPath(parsed))
  } catch {
    // fileURLToPath refuses an encoded '/' (%2F) and similar tricks: not one of our files.
    return undefined
  }
}

/** True when `path` is `dir` itself or lies below it (after normalisation, so `..` cannot escape). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
