import { createRequire } from 'node:module'

const UNKNOWN = 'application/octet-stream'
const load = createRequire(import.meta.url)
let lookup: typeof import('mime-types').lookup | undefined

/**
 * The Content-Type an object gets from its name (mime-types: the IANA, Apache and nginx types of mime-db), so that
 * a .jpg, .pdf or .html opened from the provider's console or a share link is shown instead of downloaded.
 * No charset is added: we do not know how a text file is encoded, and a wrong one garbles it in the browser.
 * Unknown extensions and names without one are sent as application/octet-stream, S3's own default.
 * mime-db is a large JSON table (~40 ms of CPU to load here), so it is loaded when uploads are queued
 * (loadContentTypes), not at start-up.
 */
export function contentTypeFor(name: string): string {
  return loadContentTypes()(name) || UNKNOWN
}

/**
 * Loads the table if it is not yet. The queue asks for it as soon as files are queued, to be run while the enqueue
 * waits on the network (the keychain, the listing of the folder): loaded by the first upload, it delayed that
 * upload, which the rest of its batch waits for (queue-scheduler.ts: a batch's first upload runs alone).
 */
export function loadContentTypes(): typeof import('mime-types').lookup {
  lookup ??= (load('mime-types') as typeof import('mime-types')).lookup
  return lookup
}
