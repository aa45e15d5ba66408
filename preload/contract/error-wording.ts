import type { ErrorCode, ErrorParams } from './errors'
import type { AppLocale } from './i18n/locales'
import { messageAt, translate } from './i18n/translate'

/**
 * Which catalogue sentence words an error: the sentence of its `rule` (errorRules.*: a refused input, worded in
 * every language) or of its `cause` (errorCauses.*: one of the causes a code covers, "KMS at {endpoint} refused
 * the access key") when main named one, else the one naming its details (`errorsNamed.CODE`: "The KMS key "k-1" is
 * disabled") when main sent every parameter that sentence needs, else the code's general sentence (`errors.CODE`).
 * A sentence is taken only when main sent every parameter it names. The renderer (vue-i18n) and main's tray
 * (./i18n/translate.ts) both decide here.
 */
export function errorSentenceKey(
  code: ErrorCode,
  params?: ErrorParams,
): { key: string; params: ErrorParams } {
  // One code covers many causes (INVALID_ARGUMENT: a bad endpoint, a proxy, a missing secret): `rule` or `cause`
  // names which.
  const candidates = [
    typeof params?.rule === 'string' ? `errorRules.${params.rule}` : undefined,
    typeof params?.cause === 'string' ? `errorCauses.${params.cause}` : undefined,
    `errorsNamed.${code}`,
  ]
  for (const key of candidates) {
    const source = key === undefined ? undefined : messageAt('en', key)
    if (key && params && source !== undefined && placeholdersOf(source).every((n) => params[n] !== undefined))
      return { key, params }
  }
  return { key: `errors.${code}`, params: {} }
}

/**
 * An error's numbers as the reader's language writes them (12.500 in German, 12,500 in English): a count of
 * deletions, a byte limit. `count` and `n` stay numbers, as they choose a sentence's plural form.
 */
export function numbersIn(locale: AppLocale, params: ErrorParams): ErrorParams {
  const format = new Intl.NumberFormat(locale)
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name,
      typeof value === 'number' && name !== 'count' && name !== 'n' ? format.format(value) : value,
    ]),
  )
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
  return translate(locale, key, numbersIn(locale, params))
}
