import { z } from 'zod'

/**
 * Why the folder walk skipped an entry (main/core/sync/folder-walk.ts), the same for a watched folder's scan, its
 * watcher and a dropped folder; `unreadable` comes with the system's error code; `sameName`: another file of the same
 * upload goes to the same object (two dropped files or folders of one name). A window words each from
 * skipReasons.* in its language; main's English `reason` goes with it for the CLI and the log.
 */
export const SKIP_REASONS = [
  'link',
  'linkOnPath',
  'special',
  'permission',
  'gone',
  'unreadable',
  'tooLarge',
  'sameName',
] as const
export const skipWhySchema = z.enum(SKIP_REASONS)
export type SkipWhy = z.infer<typeof skipWhySchema>

/**
 * Why an upload left the object already in the bucket as it was (keptReasons.*): the rule was to skip existing
 * objects, or compare found the same content there.
 */
export const KEPT_REASONS = ['exists', 'sameContent'] as const
export const keptWhySchema = z.enum(KEPT_REASONS)
export type KeptWhy = z.infer<typeof keptWhySchema>
