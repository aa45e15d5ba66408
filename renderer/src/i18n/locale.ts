/**
 * The locale rules live in the contract (preload/contract/i18n/locales.ts), shared with main's app menu, tray and
 * notifications; the user's choice is kept by main (the `settings:locale` channels), see stores/locale.ts.
 */
export {
  APP_LOCALES,
  type AppLocale,
  isAppLocale,
  type LocalePreference,
  pickLocale,
  resolveLocale,
} from '../../../preload/contract/i18n/locales'

export function systemLanguages(): readonly string[] {
  const nav = globalThis.navigator
  if (!nav) return []
  return nav.languages?.length ? nav.languages : nav.language ? [nav.language] : []
}
