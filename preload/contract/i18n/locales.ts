import de from './messages/de'
import en from './messages/en'
import zhCN from './messages/zh-CN'

/**
 * The languages the catalogues cover; English is the source and the fallback. The catalogues are plain data in
 * the contract so every shell words things the same way: the renderer through vue-i18n, main (app menu, tray,
 * notifications) and the CLI (English) through ./translate.ts.
 */
export const APP_LOCALES = ['en', 'zh-CN', 'de'] as const
export type AppLocale = (typeof APP_LOCALES)[number]

/** What the user picked in the language menu; 'system' means "follow the OS or browser language". */
export const LOCALE_PREFERENCES = ['system', ...APP_LOCALES] as const
export type LocalePreference = (typeof LOCALE_PREFERENCES)[number]

export type MessageSchema = typeof en
export const CATALOGUES: Record<AppLocale, MessageSchema> = { en, 'zh-CN': zhCN, de }

export function isAppLocale(value: unknown): value is AppLocale {
  return (APP_LOCALES as readonly unknown[]).includes(value)
}

/**
 * The first of the OS's or browser's preferred languages (most preferred first) that a catalogue covers. Any
 * Chinese tag picks zh-CN (the only Chinese catalogue: a zh-TW reader gets on better with Simplified Chinese than
 * with English), any German tag (de-AT, de-CH) picks de. The renderer asks navigator.languages, Electron's main
 * process app.getPreferredSystemLanguages(): both decide here.
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

/** The locale to show: the user's choice, else the system's. */
export function resolveLocale(preference: LocalePreference, languages: readonly string[]): AppLocale {
  return preference === 'system' ? pickLocale(languages) : preference
}
