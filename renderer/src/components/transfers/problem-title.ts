import type { ProblemGroup } from '../../../../preload/contract/queue-page'
import { plural } from '../../format'

/**
 * "48 uploads failed: <reason>" for one cause. Held jobs (the rest of a failed batch, or an account's jobs) are
 * not uploaded either: a group with a failure in it says failed; one of held jobs only says held.
 */
export function problemTitle(group: ProblemGroup): string {
  const verb = group.failed > 0 ? 'failed' : group.held > 0 ? 'held' : 'waiting to be tried again'
  return `${plural(group.count, 'upload')} ${verb}: ${group.error.message}`
}

/** "1 failed, 47 held until the cause is fixed" when a group mixes them; nothing to add otherwise. */
export function problemBreakdown(group: ProblemGroup): string | undefined {
  const parts = [
    group.failed ? `${group.failed} failed` : '',
    group.held ? `${group.held} held until the cause is fixed` : '',
    group.retrying ? `${group.retrying} waiting to be tried again` : '',
  ].filter(Boolean)
  return parts.length > 1 ? parts.join(', ') : undefined
}

/** The first objects of the group, and how many more. */
export function problemExamples(group: ProblemGroup): string {
  const keys = group.examples.map((e) => `${e.bucket}/${e.key}`)
  const more = group.count - keys.length
  return `${keys.join(', ')}${more > 0 ? `, and ${more} more` : ''}`
}
