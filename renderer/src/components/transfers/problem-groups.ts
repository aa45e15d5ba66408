import type { IpcError } from '../../../../preload/contract/errors'
import type { Job } from '../../../../preload/contract/queue-models'

/** Uploads stopped by one cause: the job that failed with it and those held with the same reason. */
export interface ProblemGroup {
  key: string
  accountId: string
  error: IpcError
  jobIds: number[]
  /** How many are held (waiting for the cause to be fixed) besides those that failed. */
  held: number
  failed: number
}

/**
 * Groups failed and held jobs by account and reason, so that "50 uploads held: KMS key nokey-9 does not exist" is
 * one problem with one retry and one cancel, not 50 rows. Only causes shared by two or more jobs form a group; a
 * single failure stays a row of its own.
 */
export function problemGroups(jobs: readonly Job[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>()
  for (const job of jobs) {
    const stopped = job.state === 'failed' || job.state === 'paused'
    if (!stopped || !job.error) continue
    const key = `${job.accountId}\n${job.error.code}\n${job.error.message}`
    let group = groups.get(key)
    if (!group) {
      group = { key, accountId: job.accountId, error: job.error, jobIds: [], held: 0, failed: 0 }
      groups.set(key, group)
    }
    group.jobIds.push(job.id)
    if (job.state === 'paused') group.held++
    else group.failed++
  }
  return [...groups.values()].filter((g) => g.jobIds.length > 1 && g.held > 0)
}

/** "50 uploads held: <reason>" (the one that failed first counts among them: none of them is uploaded). */
export function problemTitle(group: ProblemGroup): string {
  const n = group.jobIds.length
  return `${n} upload${n === 1 ? '' : 's'} held: ${group.error.message}`
}
