import { JOB_PROBLEMS, type ProblemGroup, type ProblemGroups } from '../../preload/contract/queue-page'

/**
 * `6 held: <reason>` (or `1 failed, 49 held: <reason>`), then the first objects concerned and how many more:
 * one line per cause as the queue grouped them (problem-groups.ts), however many jobs share it.
 */
export function problemLines({ groups, more }: ProblemGroups): string[] {
  const lines: string[] = []
  for (const group of groups) {
    const what = JOB_PROBLEMS.filter((p) => group[p] > 0).map((p) => `${group[p]} ${p}`)
    lines.push(`${what.join(', ')}: ${group.error.message}`)
    const keys = group.examples.map((job) => `${job.bucket}/${job.key}`)
    const others = group.count - keys.length
    lines.push(`  ${keys.join(', ')}${others > 0 ? `, and ${others} more` : ''}`)
  }
  if (more.groups > 0) lines.push(`${more.jobs} more not done, for ${more.groups} other reasons`)
  return lines
}

/** Held jobs in all groups: those waiting untouched for their cause to be fixed. */
export function heldCount(groups: readonly ProblemGroup[], only: 'all' | 'queued' = 'all'): number {
  return groups.reduce((n, g) => n + g.held - (only === 'queued' ? g.heldPaused : 0), 0)
}
