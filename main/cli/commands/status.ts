import type { Command } from 'commander'
import type { CliContext } from '../context'
import { formatBytes } from '../output'

export function registerStatusCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('status')
    .description('the queue at a glance: waiting, failed (with reasons) and held uploads')
    .action(() =>
      run(async ({ services, out }) => {
        const status = services.queue.status()
        // Only the jobs worth a line: the queue may hold 100,000 finished ones.
        const jobs = services.queue.withProblems()
        const failed = jobs.filter((j) => j.state === 'failed')
        const lines = [
          `State: ${status.state}`,
          `Queued ${status.queued}, paused ${status.paused}, failed ${status.failed}, done ${services.queue.counts().done}`,
          ...failed.map(
            (j) => `  failed: ${j.sourcePath} -> ${j.bucket}/${j.key}: ${j.error?.message ?? ''}`,
          ),
          ...jobs
            .filter((j) => j.state === 'queued' && j.error)
            .map((j) => `  waiting: ${j.sourcePath} (${formatBytes(j.size)}): ${j.error?.message ?? ''}`),
        ]
        out.result({ status, failed }, lines.join('\n'))
        return 0
      }),
    )
}
