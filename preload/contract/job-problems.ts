import type { IpcError } from './errors'
import type { Job } from './queue-models'

/** Accounts whose jobs are held until the user fixes them, with the reason (as `queue:problems` answers it). */
export type HeldAccounts = Readonly<Record<string, IpcError>>

/**
 * Why a job is not done, as a user should hear it: failed (given up, with the reason), held (its account needs
 * fixing: every job of it would fail the same way, so they wait untouched, with the account's reason), or
 * retrying (an error that waiting may fix).
 */
export type JobProblem = 'failed' | 'held' | 'retrying'

export function jobProblem(
  job: Pick<Job, 'state' | 'error' | 'accountId'>,
  heldAccounts: HeldAccounts,
): { problem: JobProblem; error?: IpcError } | undefined {
  if (job.state === 'failed') return { problem: 'failed', error: job.error }
  // A job still running when its account was held goes back to the queue as held when it ends.
  if (job.state !== 'queued' && job.state !== 'running') return undefined
  const held = heldAccounts[job.accountId]
  if (held) return { problem: 'held', error: held }
  return job.state === 'queued' && job.error ? { problem: 'retrying', error: job.error } : undefined
}

export interface ProblemGroup {
  problem: JobProblem
  error?: IpcError
  jobs: Job[]
}

/** Jobs with a problem, grouped by what went wrong (one entry a cause, not one a job), biggest group first. */
export function groupProblems(jobs: Job[], heldAccounts: HeldAccounts): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>()
  for (const job of jobs) {
    const found = jobProblem(job, heldAccounts)
    if (!found) continue
    const key = `${found.problem}\u0000${found.error?.code}\u0000${found.error?.message}`
    const group = groups.get(key) ?? { ...found, jobs: [] }
    group.jobs.push(job)
    groups.set(key, group)
  }
  return [...groups.values()].sort((a, b) => b.jobs.length - a.jobs.length)
}

/** `3 held: <reason>` then the objects concerned (the first few, and how many more). */
export function problemLines(jobs: Job[], heldAccounts: HeldAccounts, shownPerGroup = 5): string[] {
  const lines: string[] = []
  for (const group of groupProblems(jobs, heldAccounts)) {
    lines.push(`${group.jobs.length} ${group.problem}: ${group.error?.message ?? 'no reason was recorded'}`)
    const keys = group.jobs.slice(0, shownPerGroup).map((j) => `${j.bucket}/${j.key}`)
    const more = group.jobs.length - keys.length
    lines.push(`  ${keys.join(', ')}${more > 0 ? `, and ${more} more` : ''}`)
  }
  return lines
}
