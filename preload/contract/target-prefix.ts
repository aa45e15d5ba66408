/**
 * The folder in a bucket that uploads go to, as stored: no leading slash, one trailing slash, '' for the bucket's
 * top level ('/a//' and 'a' both mean 'a/'). Watched folders, CLI syncs and uploads all use it.
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '')
  return trimmed ? `${trimmed}/` : ''
}
