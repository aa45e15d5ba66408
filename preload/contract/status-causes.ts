import { z } from 'zod'
import { errorText } from './error-wording'
import { type ErrorCode, ipcErrorSchema } from './errors'
import type { AppLocale } from './i18n/locales'
import { messageAt, translate } from './i18n/translate'

/**
 * One reason work is stuck or needs the user, as the status summary names it: the tray, the status bar and
 * `obs-sync status` say the cause, not only a count ("Disk full: ...", "Folder missing: ...").
 */
export const statusCauseSchema = ipcErrorSchema.extend({
  /** Uploads it concerns, when counted (failed or held for this reason). */
  jobs: z.number().int().optional(),
  /** The watched folder it concerns (missing folder, its sync state not saved). */
  folder: z.string().optional(),
})
export type StatusCause = z.infer<typeof statusCauseSchema>

/** The catalogue key of a cause's short name (tray menu, status bar), or undefined for the general one. */
function titleKey(code: ErrorCode): string {
  const key = `statusCauses.titles.${code}`
  return messageAt('en', key) === undefined ? 'statusCauses.other' : key
}

/** A cause's short name ("Disk full") in `locale`; English for the CLI. */
export function causeTitle(cause: Pick<StatusCause, 'code'>, locale: AppLocale = 'en'): string {
  return translate(locale, titleKey(cause.code))
}

/**
 * "Disk full (3 uploads): The disk is full: ..." — the cause's name and its full sentence, on one line, in
 * `locale`: the status bar and the tray in the user's language, `obs-sync status` in English (main's own sentence).
 */
export function causeLine(cause: StatusCause, locale: AppLocale = 'en'): string {
  const title = causeTitle(cause, locale)
  const sentence = errorText(locale, cause)
  if (!cause.jobs) return translate(locale, 'statusCauses.line', { title, sentence })
  // The count as the reader writes numbers ("3,000", "3.000"), as everywhere else in the window.
  const uploads = translate(
    locale,
    'statusCauses.uploads',
    { n: new Intl.NumberFormat(locale).format(cause.jobs) },
    cause.jobs,
  )
  return translate(locale, 'statusCauses.lineCounted', { title, uploads, sentence })
}
