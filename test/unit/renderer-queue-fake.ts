import type { Job } from '../../preload/contract/queue-models'
import {
  DEFAULT_PAGE_SIZE,
  decodePageCursor,
  encodePageCursor,
  type JobCounts,
  type ProblemGroup,
  type UploadHistory,
} from '../../preload/contract/queue-page'
import type { FakeIpc } from './renderer-fake-ipc'

/**
 * Answers the queue's read channels for renderer tests from a list of jobs, the way `queue:page` is specified:
 * newest first, filtered, cut at `limit` with a cursor. The problem groups are given as the core would answer
 * them (the grouping itself is tested against the real queue DB in problem-groups.test.ts).
 */
export function answerQueue(
  ipc: FakeIpc,
  jobs: () => Job[],
  extra: { problems?: ProblemGroup[]; history?: Partial<UploadHistory> } = {},
): FakeIpc {
  const inScope = (j: Job, scope: { accountId?: string; syncPairId?: string } = {}) =>
    (!scope.accountId || j.accountId === scope.accountId) &&
    (!scope.syncPairId || j.syncPairId === scope.syncPairId)
  /** Of an account / watched folder when asked, else of the whole queue (as the core answers). */
  const counts = (scope: { accountId?: string; syncPairId?: string } = {}): JobCounts => {
    const result: JobCounts = { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 }
    for (const job of jobs()) if (inScope(job, scope)) result[job.state]++
    return result
  }
  const history: UploadHistory = {
    total: { uploads: 0, bytes: 0 },
    days: [],
    keepDoneDays: 7,
    ...extra.history,
  }
  return ipc
    .answer('queue:page', (request) => {
      const before = request.cursor ? decodePageCursor(request.cursor)! : Number.POSITIVE_INFINITY
      const limit = request.limit ?? DEFAULT_PAGE_SIZE
      const matching = jobs()
        .filter((j) => j.id < before && (!request.states || request.states.includes(j.state)))
        .filter((j) => inScope(j, request))
        .filter((j) => !request.withoutProblems || !(j.state === 'failed' || (j.error && j.state !== 'done')))
        .sort((a, b) => b.id - a.id)
      const page = matching.slice(0, limit)
      return {
        jobs: page,
        ...(matching.length > limit ? { nextCursor: encodePageCursor(page.at(-1)!.id) } : {}),
        counts: counts(request),
      }
    })
    .answer('queue:counts', (scope) => counts(scope))
    .answer('queue:problem-groups', () => ({ groups: extra.problems ?? [], more: { groups: 0, jobs: 0 } }))
    .answer('queue:history', () => history)
    .answer('queue:request-limit', () => ({ requests: 16, saved: 16, fromCommandLine: false }))
    .answer('queue:bandwidth-limit', () => ({ kibPerSecond: null, saved: null, fromCommandLine: false }))
}

/** A problem group as the core answers it. */
export function problemGroup(overrides: Partial<ProblemGroup> = {}): ProblemGroup {
  return {
    id: 'group-1',
    accountId: 'acc-1',
    error: { code: 'KMS_KEY_NOT_FOUND', message: 'KMS key "nokey-9" does not exist on this server.' },
    count: 1,
    failed: 1,
    held: 0,
    retrying: 0,
    heldPaused: 0,
    bytes: 1000,
    examples: [{ id: 1, bucket: 'bucket-a', key: 'docs/report.pdf' }],
    ...overrides,
  }
}

/** Answers the queue's actions (on a job or all, clearing finished or failed; a problem group's too if asked) as done. */
export function answerQueueActions(ipc: FakeIpc, options: { groups?: boolean } = {}): FakeIpc {
  for (const channel of [
    'queue:pause',
    'queue:resume',
    'queue:cancel',
    'queue:retry',
    'queue:clear-finished',
    'queue:clear-failed',
  ] as const) {
    ipc.answer(channel, () => null)
  }
  if (options.groups) ipc.answer('queue:group-action', () => null)
  return ipc
}
