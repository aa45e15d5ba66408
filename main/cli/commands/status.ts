import type { Command } from 'commander'
import { MAX_PAGE_SIZE } from '../../../preload/contract/queue-page'
import { causeLine } from '../../../preload/contract/status-causes'
import type { CliContext } from '../context'
import { heldCount, problemLines } from '../problem-lines'

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
        // Counts and causes, never every job: the queue may hold 100,000 finished ones.
        const counts = await client.call('queue:counts')
        const problems = await client.call('queue:problem-groups', {})
        // The newest failed jobs, for scripts (`--json`); the lines below count them all by cause.
        const failed = (await client.call('queue:page', { states: ['failed'], limit: MAX_PAGE_SIZE })).jobs
        const held = heldCount(problems.groups, 'queued')
        const lines = [
          `State: ${status.state}`,
          // The cause, not only a count: each reason work is stuck, most urgent first.
          ...status.causes.map((cause) => `  ${causeLine(cause)}`),
          `Queued ${status.queued}${held ? ` (${held} held)` : ''}, paused ${status.paused}, failed ${status.failed}, done ${counts.done}`,
          // Grouped by cause as `upload` prints them: one line per reason with its count, then the objects.
          ...problemLines(problems),
        ]
        out.result({ status, failed, problems }, lines.join('\n'))
        return 0
      }),
    )
}
