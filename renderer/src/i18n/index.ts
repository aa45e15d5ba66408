import { createI18n } from 'vue-i18n'
import { CATALOGUES, type MessageSchema } from '../../../preload/contract/i18n/locales'
import { type AppLocale, pickLocale, systemLanguages } from './locale'

export type { MessageSchema }

/**
 * The renderer's one translation instance. vue-i18n 11 compiles messages to an AST and interprets it (no
 * `new Function`), so the window's CSP (`script-src 'self'`, no 'unsafe-eval') holds in Electron and in the web
 * UI; message strings are plain data in the contract's catalogues (preload/contract/i18n/messages), which main
 * words its menu, tray and notifications from too. It starts in the system's language; the user's choice, kept
 * by main, follows (stores/locale.ts).
 */
export function createAppI18n(locale: AppLocale = pickLocale(systemLanguages())) {
  return createI18n<[MessageSchema], AppLocale, false>({
    legacy: false,
    globalInjection: true,
    locale,
    fallbackLocale: 'en',
    messages: CATALOGUES,
    // A missing key is a bug the catalogue test catches; at run time English stands in silently.
    missingWarn: false,
    fallbackWarn: false,
  })
}

export const i18n = createAppI18n()

/** For code outside components (stores, error mapping): the same messages, the same current locale. */
export const t = i18n.global.t

export function currentLocale(): AppLocale {
  return i18n.global.locale.value
}

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  globalThis.document?.documentElement?.setAttribute('lang', locale)
}
