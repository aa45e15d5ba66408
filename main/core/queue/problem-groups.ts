import {
  type JobProblem,
  MAX_PROBLEM_GROUPS,
  MAX_PROBLEM_GROUPS_BYTES,
  type ProblemGroup,
  type ProblemGroups,
} from '../../../preload/contract/queue-page'
import { AppError } from '../errors'
import { leadingWithinBytes } from '../json-budget'
import { storedError } from './job-rows'
import { IN_SCOPE, type JobScope, scopeParams } from './job-scope'
import { causeMessage, causeParams } from './problem-cause'
import type { QueueDatabase } from './queue-db'

type Chosen = ReturnType<typeof scopeParams> & { only: string | null }

/**
 * Why a job is not done, decided here and nowhere else (the CLI, the web UI and the desktop app all show these
 * groups): failed (given up, with its reason); held (waits untouched until its cause is fixed: the rest of a
 * failed batch, paused with that batch's reason, or a queued job of an account held with the account's reason);
 * retrying (queued again after an error that waiting may fix).
 *
 * Jobs are grouped by cause (account, error code and message): 1 failed and 47 held by one unknown KMS key are
 * one group of 48, with one retry, cancel and clear. A message that names the job's own file or object is grouped
 * without that name (problem-cause.ts): 500 vanished files are one "The file no longer exists." with examples.
 */
const JOB_CAUSE = 'cause_message(j.error_message, j.source_path, j.object_key)'
// A group's params are those its cause names (causeParams): the key id stays, the file of one job does not.
const JOB_CAUSE_PARAMS = `cause_params(j.error_params, ${JOB_CAUSE})`
const PROBLEM_ROWS = `
  SELECT j.id, j.account_id, j.sync_pair_id, j.bucket, j.object_key, j.size, j.state, 'failed' AS problem,
      j.error_code AS code, ${JOB_CAUSE} AS message, ${JOB_CAUSE_PARAMS} AS params
    FROM jobs j WHERE j.state = 'failed' AND j.error_code IS NOT NULL
  UNION ALL
  SELECT j.id, j.account_id, j.sync_pair_id, j.bucket, j.object_key, j.size, j.state, 'held',
      j.error_code, ${JOB_CAUSE}, ${JOB_CAUSE_PARAMS}
    FROM jobs j WHERE j.state = 'paused' AND j.error_code IS NOT NULL
  UNION ALL
  SELECT j.id, j.account_id, j.sync_pair_id, j.bucket, j.object_key, j.size, j.state, 'held', p.reason_code, p.reason_message,
      p.reason_params
    FROM paused_accounts p JOIN jobs j ON j.account_id = p.account_id AND j.state IN ('queued', 'running')
  UNION ALL
  SELECT j.id, j.account_id, j.sync_pair_id, j.bucket, j.object_key, j.size, j.state, 'retrying', j.error_code, ${JOB_CAUSE},
      ${JOB_CAUSE_PARAMS}
    FROM jobs j WHERE j.state = 'queued' AND j.error_code IS NOT NULL
      AND j.account_id NOT IN (SELECT account_id FROM paused_accounts)`
/** The problem rows of a scope (job-scope.ts), or of the job ids `@only` (a JSON array) when given. */
const CHOSEN_ROWS = `SELECT * FROM (${PROBLEM_ROWS})
  WHERE ${IN_SCOPE} AND (@only IS NULL OR id IN (SELECT value FROM json_each(@only)))`

interface CountRow {
  account_id: string
  code: string
  message: string
  /** JSON; one of the group's rows (they name the same things: their cause is the same sentence). */
  params: string | null
  problem: JobProblem
  paused: number
  n: number
  bytes: number
}
interface ExampleRow {
  account_id: string
  code: string
  message: string
  id: number
  bucket: string
  object_key: string
}

const causeKey = (accountId: string, code: string, message: string) =>
  JSON.stringify([accountId, code, message])

/** The group id a user action names: the cause, encoded (opaque to its users). */
function encodeGroupId(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url')
}

function decodeGroupId(id: string): [string, string, string] {
  try {
    const cause = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(cause) && cause.length === 3 && cause.every((part) => typeof part === 'string'))
      return cause as [string, string, string]
  } catch {
    // answered below
  }
  throw new AppError('INVALID_ARGUMENT', 'This is not a problem of the queue: show the problems again.')
}

export function createProblemGroups(db: QueueDatabase) {
  // Deterministic: SQLite may call it once per row and group by its answer.
  db.function('cause_message', { deterministic: true }, (message, sourcePath, objectKey) =>
    causeMessage(String(message), String(sourcePath), String(objectKey)),
  )
  db.function('cause_params', { deterministic: true }, (params, cause) =>
    causeParams(params === null ? null : String(params), String(cause)),
  )
  const counts = db.prepare<Chosen, CountRow>(`
    SELECT account_id, code, message, MAX(params) AS params, problem, SUM(state = 'paused') AS paused,
        COUNT(*) AS n,
        SUM(size) AS bytes
      FROM (${CHOSEN_ROWS})
      GROUP BY account_id, code, message, problem`)
  const examples = db.prepare<Chosen, ExampleRow>(`
    SELECT account_id, code, message, id, bucket, object_key FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id, code, message ORDER BY id) AS nth
        FROM (${CHOSEN_ROWS}))
      WHERE nth <= 5 ORDER BY id`)
  const members = db
    .prepare<Chosen & { causeAccount: string; causeCode: string; causeMessage: string }, number>(
      `SELECT id FROM (${CHOSEN_ROWS}) WHERE account_id = @causeAccount AND code = @causeCode
        AND message = @causeMessage ORDER BY id`,
    )
    .pluck()

  return {
    /**
     * The groups of the whole queue or of a scope (an account and/or watched folder), or of the jobs `jobIds` only
     * (an `obs-sync upload`'s own); biggest first,
     * at most MAX_PROBLEM_GROUPS and MAX_PROBLEM_GROUPS_BYTES of them (each cause's message may name a file: 10,000
     * vanished files are 10,000 causes).
     */
    groups(jobIds?: readonly number[], scope?: JobScope): ProblemGroups {
      const chosen = { only: jobIds ? JSON.stringify(jobIds) : null, ...scopeParams(scope) }
      const groups = new Map<string, ProblemGroup>()
      for (const row of counts.all(chosen)) {
        const key = causeKey(row.account_id, row.code, row.message)
        let group = groups.get(key)
        if (!group) {
          group = {
            id: encodeGroupId(key),
            accountId: row.account_id,
            error: storedError(row.code, row.message, row.params),
            count: 0,
            failed: 0,
            held: 0,
            retrying: 0,
            heldPaused: 0,
            bytes: 0,
            examples: [],
          }
          groups.set(key, group)
        }
        group.count += row.n
        group[row.problem] += row.n
        if (row.problem === 'held') group.heldPaused += row.paused
        group.bytes += row.bytes
      }
      for (const row of examples.all(chosen))
        groups
          .get(causeKey(row.account_id, row.code, row.message))
          ?.examples.push({ id: row.id, bucket: row.bucket, key: row.object_key })
      const sorted = [...groups.values()].sort(
        (a, b) => b.count - a.count || a.examples[0]!.id - b.examples[0]!.id,
      )
      const sent = leadingWithinBytes(sorted.slice(0, MAX_PROBLEM_GROUPS), MAX_PROBLEM_GROUPS_BYTES)
      const rest = sorted.slice(sent)
      return {
        groups: sorted.slice(0, sent),
        more: { groups: rest.length, jobs: rest.reduce((n, g) => n + g.count, 0) },
      }
    },
    /**
     * The ids of a group's jobs as they are now (a job fixed meanwhile is no longer in it), of a scope only when
     * given (a narrowed view acts on the jobs it counts).
     */
    members(groupId: string, scope?: JobScope): number[] {
      const [causeAccount, causeCode, causeMessage] = decodeGroupId(groupId)
      return members.all({ only: null, ...scopeParams(scope), causeAccount, causeCode, causeMessage })
    },
  }
}

export type ProblemGrouping = ReturnType<typeof createProblemGroups>
