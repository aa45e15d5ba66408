import { readSetting, writeSetting } from '../settings'

/** The languages the catalogues cover; English is the source and the fallback. */
export const APP_LOCALES = ['en', 'zh-CN', 'de'] as const
export type AppLocale = (typeof APP_LOCALES)[number]

/** What the user picked in the language menu; absent means "follow the system". */
export type LocalePreference = AppLocale | 'system'

const KEY = 'obs-sync.locale'

/**
 * The first of the browser's or OS's preferred languages (navigator.languages, most preferred first) that a
 * catalogue covers. Any Chinese tag picks zh-CN (the only Chinese catalogue: a zh-TW reader gets on better with
 * Simplified Chinese than with English), any German tag (de-AT, de-CH) picks de. Electron's Chromium fills
 * navigator.languages from the OS locale, as a browser does, so both shells decide here.
 */
export function pickLocale(preferred: readonly string[] | undefined): AppLocale {
  for (const tag of preferred ?? []) {
    const language = tag.toLowerCase().split(/[-_]/)[0]
    if (language === 'zh') return 'zh-CN'
    if (language === 'de') return 'de'
    if (language === 'en') return 'en'
  }
  return 'en'
}

export function isAppLocale(value: unknown): value is AppLocale {
  return (APP_LOCALES as readonly unknown[]).includes(value)
}

export function storedPreference(): LocalePreference {
  const value = readSetting(KEY)
  return isAppLocale(value) ? value : 'system'
}

export function storePreference(preference: LocalePreference): void {
  writeSetting(KEY, preference === 'system' ? undefined : preference)
}

export function systemLanguages(): readonly string[] {
  const nav = globalThis.navigator
  if (!nav) return []
  return nav.languages?.length ? nav.languages : nav.language ? [nav.language] : []
}

/** The locale to show: the remembered choice, else the system's. */
export function resolveLocale(preference: LocalePreference, languages: readonly string[]): AppLocale {
  return preference === 'system' ? pickLocale(languages) : preference
}
