import { KEPT_REASONS, SKIP_REASONS } from '../../preload/contract/skip-reasons'
import { t } from './i18n'

/**
 * Why the folder walk skipped a path (skipReasons.*), in the window's language; undefined for a reason this
 * window does not know (a newer main), where the caller shows main's English instead.
 */
export function skipReasonText(why: unknown, errno?: unknown): string | undefined {
  if (!SKIP_REASONS.some((known) => known === why)) return undefined
  return t(`skipReasons.${why}`, { errno: typeof errno === 'string' ? errno : '' })
}

/** Why an upload kept the object already in the bucket (keptReasons.*), or undefined for an unknown reason. */
export function keptReasonText(why: unknown): string | undefined {
  if (!KEPT_REASONS.some((known) => known === why)) return undefined
  return t(`keptReasons.${why}`)
}
