import { type AppLocale, CATALOGUES } from './locales'

/** Names and numbers a message is worded around. */
export type MessageParams = Record<string, string | number>

type Tree = { [key: string]: string | Tree }

/** The message at a dotted key ('tray.quit'), or undefined. */
export function messageAt(locale: AppLocale, key: string): string | undefined {
  let node: string | Tree | undefined = CATALOGUES[locale] as unknown as Tree
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

/**
 * The subset of vue-i18n's message syntax the catalogues use, for main and the CLI (no Vue there): `{name}`
 * parameters, `{'@'}` literals and plural forms "one | other" ("none | one | other" with three), chosen as
 * vue-i18n's default rule chooses. test/unit/i18n-main-translate.test.ts checks every catalogue message renders
 * here exactly as vue-i18n renders it, so the two cannot drift apart. A key missing in a locale falls back to
 * English, then to the key itself (as vue-i18n does).
 */
export function translate(
  locale: AppLocale,
  key: string,
  params: MessageParams = {},
  count?: number,
): string {
  const message = messageAt(locale, key) ?? messageAt('en', key)
  if (message === undefined) return key
  const named: MessageParams = count === undefined ? params : { n: count, count, ...params }
  const forms = message.split('|').map((form) => form.trim())
  const chosen =
    forms.length === 1 ? message : (forms[pluralIndex(pluralChoice(named, count), forms.length)] ?? '')
  return chosen.replace(
    /\{\s*(?:'([^']*)'|(\w+))\s*\}/g,
    (_all, literal: string | undefined, name: string) =>
      literal !== undefined ? literal : String(named[name] ?? ''),
  )
}

/** As vue-i18n: a numeric `count` or `n` parameter decides the form, else the count given (none: -1). */
function pluralChoice(named: MessageParams, count: number | undefined): number {
  if (typeof named.count === 'number') return named.count
  if (typeof named.n === 'number') return named.n
  return count ?? -1
}

/** vue-i18n's default plural rule: two forms are one | other (0 takes other), three are zero | one | other. */
function pluralIndex(count: number, forms: number): number {
  const choice = Math.abs(count)
  if (forms === 2) return choice === 1 ? 0 : 1
  return Math.min(choice, 2)
}
