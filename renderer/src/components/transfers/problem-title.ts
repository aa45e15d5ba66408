import type { ProblemGroup } from '../../../../preload/contract/queue-page'
import { describeIpcError } from '../../errors'
import { countOf, formatNumber } from '../../format'
import { t } from '../../i18n'

/**
 * "48 uploads failed: <reason>" for one cause. Held jobs (the rest of a failed batch, or an account's jobs) are
 * not uploaded either: a group with a failure in it says failed; one of held jobs only says held. The reason is
 * worded as every error is (errors.ts): main's sentence in English, the catalogue's sentence for its code in the
 * other languages, with main's sentence kept as the detail (problemDetail).
 */
export function problemTitle(group: ProblemGroup): string {
  const key =
    group.failed > 0
      ? 'transfers.groupFailed'
      : group.held > 0
        ? 'transfers.groupHeld'
        : 'transfers.groupRetrying'
  const reason = describeIpcError(group.error).message
  return t(key, { uploads: countOf('transfers.uploads', group.count), reason })
}

/** Main's English sentence when the title shows a translation of it (it can name the key, the file, the bucket). */
export function problemDetail(group: ProblemGroup): string | undefined {
  return describeIpcError(group.error).detail
}

/** "1 failed, 47 held until the cause is fixed" when a group mixes them; nothing to add otherwise. */
export function problemBreakdown(group: ProblemGroup): string | undefined {
  const parts = [
    group.failed ? t('transfers.partFailed', { n: formatNumber(group.failed) }) : '',
    group.held ? t('transfers.partHeld', { n: formatNumber(group.held) }) : '',
    group.retrying ? t('transfers.partRetrying', { n: formatNumber(group.retrying) }) : '',
  ].filter(Boolean)
  return parts.length > 1 ? parts.join(', ') : undefined
}

/** The first objects of the group, and how many more. */
export function problemExamples(group: ProblemGroup): string {
  const keys = group.examples.map((e) => `${e.bucket}/${e.key}`).join(', ')
  const more = group.count - group.examples.length
  return more > 0 ? t('transfers.examplesMore', { keys, n: formatNumber(more) }) : keys
}
