import { z } from 'zod'

/**
 * The folder in a bucket that uploads go to, as stored: no leading slash, one trailing slash, '' for the bucket's
 * top level ('/a//' and 'a' both mean 'a/'). Watched folders, CLI syncs and uploads all use it.
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '')
  return trimmed ? `${trimmed}/` : ''
}

/**
 * Whether a prefix names a folder '.' or '..': keys like "../../etc/x" are stored as given, but other tools show
 * or resolve them as the folders above (rclone shows them as full-width dots), so such a target is refused.
 */
export const hasDotFolder = (prefix: string): boolean =>
  prefix.split('/').some((segment) => segment.trim() === '.' || segment.trim() === '..')

/** The target folder of an upload or a watched folder, as typed (normalizePrefix tidies it). */
export const targetPrefixSchema = z
  .string()
  .max(1024)
  .refine((prefix) => !hasDotFolder(prefix), "A folder in the bucket cannot be named '.' or '..'")
