import type { Command } from 'commander'
import { jobProblem, problemLines } from '../../../preload/contract/job-problems'
import type { CliContext } from '../context'

export function registerStatusCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('status')
    .description('the queue at a glance: waiting, failed (with reasons) and held uploads')
    .action(() =>
      run(async ({ client, out }) => {
        const status = await client.call('status:get')
        // Only the jobs worth a line: the queue may hold 100,000 finished ones.
        const { jobs, counts, heldAccounts } = await client.call('queue:problems')
        const failed = jobs.filter((j) => j.state === 'failed')
        const problems = jobs.map((j) => ({ job: j, found: jobProblem(j, heldAccounts) }))
        const held = problems.filter((p) => p.found?.problem === 'held').length
        const lines = [
          `State: ${status.state}`,
          `Queued ${status.queued}${held ? ` (${held} held)` : ''}, paused ${status.paused}, failed ${status.failed}, done ${counts.done}`,
          // Grouped by cause as `upload` prints them: one line per reason with its count, then the objects.
          ...problemLines(jobs, heldAccounts),
        ]
        out.result({ status, failed }, lines.join('\n'))
        return 0
      }),
    )
}
