import { errorSentenceKey, numbersIn, usableMessage } from '../../preload/contract/error-wording'
import type { ErrorCode, ErrorParams } from '../../preload/contract/errors'
import { currentLocale, i18n, t } from './i18n'
import { IpcCallError } from './ipc/client'

/**
 * What a view shows for a failure: a sentence in the user's language, and where one helps, what to do about it.
 * Never a stack trace and never a bare code. The sentence comes from the catalogue by the error's code, worded
 * around its parameters (the key id, the bucket) when main sent them; `detail` keeps main's own English sentence,
 * which can say more (the network's reason, the permission's name), for readers of another language.
 */
export interface UiError {
  code?: ErrorCode
  message: string
  hint?: string
  /** Main's English sentence, shown apart when the message is a translation of something less specific. */
  detail?: string
}

type Errorish = { code: ErrorCode; message: string; params?: ErrorParams }

/** The catalogue's sentence for a code in the current language (which sentence: the contract's error-wording.ts). */
export function errorSentence(code: ErrorCode, params?: ErrorParams): string {
  const sentence = errorSentenceKey(code, params)
  return t(sentence.key, numbersIn(currentLocale(), sentence.params))
}

function hintOf(code: ErrorCode): string | undefined {
  return i18n.global.te(`errorHints.${code}`, 'en') ? t(`errorHints.${code}`) : undefined
}

/**
 * English readers get main's sentence itself (it is the most specific English there is); readers of another
 * language get the catalogue's translation, with main's sentence as the detail. A missing or bare-code message
 * falls back to the catalogue in every language.
 */
function fromCoded(error: Errorish): UiError {
  const sentence = errorSentence(error.code, error.params)
  const server = usableMessage(error.message, error.code) ? error.message : undefined
  const hint = hintOf(error.code)
  // A rule's sentence (errorRules.*) says all of main's sentence in words for the window (main's may carry a
  // channel name for raw clients): it is shown in every language, English too, with nothing added.
  const translatesAll = errorSentenceKey(error.code, error.params).key.startsWith('errorRules.')
  if (translatesAll) return { code: error.code, message: sentence, hint }
  if (currentLocale() === 'en') return { code: error.code, message: server ?? sentence, hint }
  return server && server !== sentence
    ? { code: error.code, message: sentence, hint, detail: server }
    : { code: error.code, message: sentence, hint }
}

/** Turns anything a call threw into what a view may show. */
export function toUiError(error: unknown): UiError {
  if (error instanceof IpcCallError) return fromCoded(error)
  return fromPlain(error)
}

/** The same for an `{ code, message, params }` that arrived as data (a failed job, a listing error, a folder status). */
export function describeIpcError(error: Errorish): UiError {
  return fromCoded(error)
}

function fromPlain(error: unknown): UiError {
  // A bug in the window itself: keep the details for the developer console, show the user a sentence.
  console.error(error)
  return { code: 'INTERNAL', message: t('errorWindow'), hint: t('errorHints.WINDOW') }
}

/** One line for places that have room for a single string (tooltips, status bar). */
export function errorLine(error: UiError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message
}
