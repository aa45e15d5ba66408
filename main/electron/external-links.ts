import { PROVIDER_PRESETS } from '../core/accounts/providers'
import { APP_HOMEPAGE } from '../core/app-meta'

/**
 * Which URLs the app hands to the user's browser (shell.openExternal): the KMS consoles of the provider presets
 * (the links the app itself shows) and the project's documentation, nothing else. Only https, only those hosts,
 * no user:password@ (which disguises the real host), and of a sane length. Everything else (file:, javascript:,
 * custom schemes that launch other programs, plain http, any other site) is dropped: openExternal on an
 * attacker-chosen URL is a classic path from a renderer bug to code execution or phishing.
 */
const MAX_URL_LENGTH = 2048

/**
 * `{region}` in a preset's console address stands for one DNS label (`eu-de`, `us-east-1`); as the first label
 * it may be left out (console.aws.amazon.com picks the region itself).
 */
function hostPattern(template: string): RegExp {
  const host = new URL(template.replaceAll('{region}', 'regionlabel')).hostname
  const escaped = host
    .replaceAll('.', '\\.')
    .replace(/^regionlabel\\\./, '([a-z0-9-]+\\.)?')
    .replaceAll('regionlabel', '[a-z0-9-]+')
  return new RegExp(`^${escaped}$`)
}

export const EXTERNAL_HOSTS: readonly RegExp[] = [
  ...Object.values(PROVIDER_PRESETS).flatMap((preset) =>
    preset.kmsConsoleTemplate ? [hostPattern(preset.kmsConsoleTemplate)] : [],
  ),
  hostPattern(APP_HOMEPAGE),
]

export function isSafeExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return false
  try {
    const url = new URL(raw)
    return (
      url.protocol === 'https:' &&
      url.username === '' &&
      url.password === '' &&
      EXTERNAL_HOSTS.some((host) => host.test(url.hostname))
    )
  } catch {
    return false
  }
}
