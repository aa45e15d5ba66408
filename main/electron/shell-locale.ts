import {
  type AppLocale,
  isAppLocale,
  type LocalePreference,
  resolveLocale,
} from '../../preload/contract/i18n/locales'
import type { DesktopServices } from './desktop-app'

/**
 * The language of the shell's own words (app menu, tray, notifications): the one the user chose in the window,
 * which main keeps (`settings:locale`), else the OS's (Electron's app.getPreferredSystemLanguages(), then
 * app.getLocale()), decided by the same rule the window uses (preload/contract/i18n/locales.ts). `apply` runs at
 * once with the system's language, again when the stored choice is read, and on every change of it.
 */
export function followShellLocale(deps: {
  services: DesktopServices
  systemLanguages: () => readonly string[]
  apply: (locale: AppLocale) => void
  log: (message: string, error?: unknown) => void
}): () => void {
  let current: AppLocale | undefined
  const show = (preference: LocalePreference) => {
    const locale = resolveLocale(preference, deps.systemLanguages())
    if (locale === current) return
    current = locale
    deps.apply(locale)
  }
  show('system')
  let changed = false
  const stop = deps.services.bus.on('settings:locale', (preference) => {
    changed = true
    show(preference)
  })
  deps.services
    .dispatch('settings:locale', [])
    .then((answer) => {
      // A change that arrived meanwhile is newer than this answer.
      if (changed) return
      if (answer.ok && isPreference(answer.value)) show(answer.value)
      else if (!answer.ok) deps.log(`The language setting could not be read: ${answer.error.message}`)
    })
    .catch((error: unknown) => deps.log('The language setting could not be read', error))
  return stop
}

function isPreference(value: unknown): value is LocalePreference {
  return value === 'system' || isAppLocale(value)
}

/** The OS's preferred languages, most preferred first, as Electron reports them. */
export function electronSystemLanguages(app: {
  getPreferredSystemLanguages(): string[]
  getLocale(): string
}): readonly string[] {
  const preferred = app.getPreferredSystemLanguages()
  return preferred.length > 0 ? preferred : [app.getLocale()]
}
