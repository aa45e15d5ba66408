import type { ErrorCode, ErrorParams } from './errors'
import type { AppLocale } from './i18n/locales'
import { messageAt, translate } from './i18n/translate'

/**
 * Which catalogue sentence words an error: the sentence of its `rule` (errorRules.*) when main named one, else the
 * one naming its details (`errorsNamed.CODE`: "The KMS key "k-1" is
 * disabled") when main sent every parameter that sentence needs, else the code's general sentence (`errors.CODE`).
 * The renderer (vue-i18n) and main's tray (./i18n/translate.ts) both decide here.
 */
export function errorSentenceKey(
  code: ErrorCode,
  params?: ErrorParams,
): { key: string; params: ErrorParams } {
  // One code covers many causes (INVALID_ARGUMENT: a bad endpoint, a proxy, a missing secret): `rule` names which.
  const rule = typeof params?.rule === 'string' ? `errorRules.${params.rule}` : undefined
  const ruleSource = rule === undefined ? undefined : messageAt('en', rule)
  if (
    rule &&
    params &&
    ruleSource !== undefined &&
    placeholdersOf(ruleSource).every((n) => params[n] !== undefined)
  ) {
    return { key: rule, params }
  }
  const named = `errorsNamed.${code}`
  const source = messageAt('en', named)
  if (params && source !== undefined && placeholdersOf(source).every((name) => params[name] !== undefined)) {
    return { key: named, params }
  }
  return { key: `errors.${code}`, params: {} }
}

function placeholdersOf(message: string): string[] {
  return [...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1] ?? '')
}

/** Main's own sentence is worth showing unless it is empty or the bare code. */
export function usableMessage(message: string, code: string): boolean {
  const trimmed = message.trim()
  return trimmed !== '' && trimmed !== code
}

/**
 * An error as a reader of `locale` reads it outside the window (tray, notifications): English readers get main's
 * own sentence (the most specific English there is), others the catalogue's sentence in their language.
 */
export function errorText(
  locale: AppLocale,
  error: { code: ErrorCode; message: string; params?: ErrorParams | undefined },
): string {
  if (locale === 'en' && usableMessage(error.message, error.code)) return error.message
  const { key, params } = errorSentenceKey(error.code, error.params)
  return translate(locale, key, params)
}
