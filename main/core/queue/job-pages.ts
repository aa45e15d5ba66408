import { JOB_STATES, type JobState } from '../../../preload/contract/queue-models'
import {
  type CountsFilter,
  DEFAULT_PAGE_SIZE,
  decodePageCursor,
  encodePageCursor,
  type QueuePageRequest,
} from '../../../preload/contract/queue-page'
import { AppError } from '../errors'
import { type Row, type StoredJob, toJob } from './job-rows'
import type { QueueDatabase } from './queue-db'

const NOT_HELD = 'AND account_id NOT IN (SELECT account_id FROM paused_accounts)'
/** Per state, what leaves out the jobs problem-groups.ts groups (failed jobs are all in a group). */
const NOT_A_PROBLEM: Record<JobState, string | undefined> = {
  failed: undefined,
  paused: 'AND error_code IS NULL',
  queued: `AND error_code IS NULL ${NOT_HELD}`,
  running: NOT_HELD,
  done: '',
  cancelled: '',
}

/** Larger than any real id: the first page starts below it. */
const NO_CURSOR = Number.MAX_SAFE_INTEGER

/**
 * How many page statements stay prepared. Each costs ~40 KB of SQLite memory, and a client picks their shape
 * (states, filters, limit): kept without a bound, 31,500 different valid requests grew the server by 1.3 GB. The
 * Transfers view asks for a handful of shapes, so the least recently used beyond these are let go.
 */
export const PAGE_STATEMENTS_KEPT = 32

/**
 * Pages of the jobs table, newest first (by id), filtered by state, account and watched folder. One sub-query per
 * state, each reading an index that ends in id ((state, id), (account_id, state, id) or (sync_pair_id, state,
 * id)) backwards from the cursor for at most `limit` rows; their union is sorted and cut to `limit`. So a page
 * costs about `limit` index steps per state asked for, however many jobs the queue holds (a plain
 * `WHERE state IN (...) ORDER BY id DESC` makes SQLite sort every matching row first).
 */
export function createJobPages(db: QueueDatabase) {
  // A Map iterates in insertion order: a statement used again is moved to the end, the first is the oldest.
  const statements = new Map<string, ReturnType<QueueDatabase['prepare']>>()

  function statementFor(
    states: readonly JobState[],
    filter: { byAccount: boolean; byPair: boolean; withoutProblems: boolean },
    limit: number,
  ) {
    const { byAccount, byPair, withoutProblems } = filter
    const key = `${states.join(',')}|${byAccount}|${byPair}|${withoutProblems}|${limit}`
    let statement = statements.get(key)
    if (statement) statements.delete(key)
    else {
      // States and limit are literals (validated above): better-sqlite3's SQLite re-plans a statement whose LIMIT
      // is bound on every run, and a literal state lets each part pick its index.
      const filters = [
        byAccount ? 'AND account_id = @accountId' : '',
        byPair ? 'AND sync_pair_id = @syncPairId' : '',
      ].join(' ')
      const parts = states
        .filter((state) => !withoutProblems || NOT_A_PROBLEM[state] !== undefined)
        .map(
          (state) =>
            `SELECT * FROM (SELECT * FROM jobs WHERE state = '${state}' ${filters}
              ${withoutProblems ? NOT_A_PROBLEM[state] : ''} AND id < @before ORDER BY id DESC LIMIT ${limit})`,
        )
      if (parts.length === 0) parts.push('SELECT * FROM jobs WHERE 0')
      statement = db.prepare(`${parts.join(' UNION ALL ')} ORDER BY id DESC LIMIT ${limit}`)
      const oldest = statements.size >= PAGE_STATEMENTS_KEPT ? statements.keys().next().value : undefined
      if (oldest !== undefined) statements.delete(oldest)
    }
    statements.set(key, statement)
    return statement
  }

  /** The statement of a request and its parameters. */
  function query(request: QueuePageRequest, limit: number) {
    const before = request.cursor === undefined ? NO_CURSOR : decodePageCursor(request.cursor)
    if (before === undefined)
      throw new AppError(
        'INVALID_ARGUMENT',
        'This is not a page cursor of the queue: ask for the first page again (without a cursor).',
      )
    // Each state once, in a fixed order: the statement cache then holds one entry per filter.
    const states = JOB_STATES.filter((s) => !request.states || request.states.includes(s))
    const filter = {
      byAccount: request.accountId !== undefined,
      byPair: request.syncPairId !== undefined,
      withoutProblems: request.withoutProblems === true,
    }
    const params = {
      before,
      ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
      ...(request.syncPairId !== undefined ? { syncPairId: request.syncPairId } : {}),
    }
    return { statement: statementFor(states, filter, limit + 1), params }
  }

  // Jobs per state of one account and/or watched folder: a count over (account_id, state, id) or
  // (sync_pair_id, state) index entries of that filter only, not the table.
  const countStatements = {
    account: db.prepare<{ accountId: string }, { state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs WHERE account_id = @accountId GROUP BY state',
    ),
    pair: db.prepare<{ syncPairId: string }, { state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs WHERE sync_pair_id = @syncPairId GROUP BY state',
    ),
    both: db.prepare<{ accountId: string; syncPairId: string }, { state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs WHERE sync_pair_id = @syncPairId AND account_id = @accountId GROUP BY state',
    ),
  }

  return {
    /** Jobs per state of an account and/or a watched folder (at least one of them given). */
    countsOf(filter: CountsFilter): Record<JobState, number> {
      const result = { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 }
      const { accountId, syncPairId } = filter
      const rows =
        accountId !== undefined && syncPairId !== undefined
          ? countStatements.both.all({ accountId, syncPairId })
          : accountId !== undefined
            ? countStatements.account.all({ accountId })
            : countStatements.pair.all({ syncPairId: syncPairId ?? '' })
      for (const { state, n } of rows) result[state] = n
      return result
    },
    /** One page and where the next begins (undefined: this was the last). */
    page(request: QueuePageRequest): { jobs: StoredJob[]; nextCursor?: string } {
      const limit = request.limit ?? DEFAULT_PAGE_SIZE
      const { statement, params } = query(request, limit)
      const rows = statement.all(params) as Row[]
      const jobs = rows.slice(0, limit).map(toJob)
      const last = jobs.at(-1)
      return rows.length > limit && last ? { jobs, nextCursor: encodePageCursor(last.id) } : { jobs }
    },
    /** SQLite's plan of a page's query (EXPLAIN QUERY PLAN details), to check that it reads indexes only. */
    plan(request: QueuePageRequest): string[] {
      const { statement, params } = query(request, request.limit ?? DEFAULT_PAGE_SIZE)
      const explain = db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`)
      return (explain.all(params) as { detail: string }[]).map((row) => row.detail)
    },
  }
}

export type JobPages = ReturnType<typeof createJobPages>
