import { z } from 'zod'

/** One level of the local-folder picker: folders under the allowed root only (the picker never leaves it). */
export const localFolderListingSchema = z.object({
  /** The folder the picker may not leave (the user's home, or the root configured for `obs-sync serve`). */
  root: z.string(),
  path: z.string(),
  /** The folder above, unless `path` is the root. */
  parent: z.string().optional(),
  folders: z.array(z.object({ name: z.string(), path: z.string() })),
  /** True when the folder held more sub-folders than are listed. */
  truncated: z.boolean(),
})
export type LocalFolderListing = z.infer<typeof localFolderListingSchema>

/** A native dialog answers with a path or nothing; the web UI is told to show its in-page picker. */
export const folderPickSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('picked'), path: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
  z.object({ kind: z.literal('in-page') }),
])
export type FolderPick = z.infer<typeof folderPickSchema>
