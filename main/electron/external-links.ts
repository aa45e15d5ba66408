/**
 * Which URLs the app hands to the user's browser (shell.openExternal): links to a provider's console or
 * documentation. Only https, only a real host, no user:password@ (which disguises the real host), and of a
 * sane length. Everything else (file:, javascript:, custom schemes that launch other programs, plain http)
 * is dropped: openExternal on an attacker-chosen URL is a classic path from a renderer bug to code execution.
 */
const MAX_URL_LENGTH = 2048

export function isSafeExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return false
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === ''
  } catch {
    return false
  }
}
