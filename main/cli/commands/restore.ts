import type { Command } from 'commander'
import { RESTORE_TIERS, type RestoreTier } from '../../../preload/contract/storage-class-models'
import { accountId, type CliContext, usageError } from '../context'

const OUTCOME_WORDS = {
  started: 'restore started',
  extended: 'already restored; its days were reset',
  'in-progress': 'a restore is already running',
}

/** `obs-sync restore bucket/key --days N [--tier expedited|standard|bulk]`, through the contract's storage:restore. */
export function registerRestoreCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('restore <bucket/key>')
    .description('restore an archived (Cold / Glacier) object so it can be downloaded for N days')
    .option('--account <name>', 'account (default: the only one)')
    .requiredOption('--days <n>', 'how long the restored copy stays readable, 1-30', (v) => Number(v))
    .option('--tier <speed>', `${RESTORE_TIERS.join(' | ')} (default: standard; OBS has no bulk)`)
    .action((path: string, options: { account?: string; days: number; tier?: string }) =>
      run(async ({ client, out }) => {
        const slash = path.indexOf('/')
        if (slash <= 0 || slash === path.length - 1) {
          throw usageError(`Give the object as bucket/key, not "${path}".`)
        }
        if (options.tier && !RESTORE_TIERS.includes(options.tier as RestoreTier)) {
          throw usageError(`--tier must be ${RESTORE_TIERS.join(', ')}, not "${options.tier}".`)
        }
        const request = {
          accountId: await accountId(client, options.account),
          bucket: path.slice(0, slash),
          key: path.slice(slash + 1),
          days: options.days,
          tier: options.tier as RestoreTier | undefined,
        }
        const answer = await client.call('storage:restore', request)
        const { outcome, archive } = answer
        const state =
          archive?.state === 'restored' && archive.restoredUntil
            ? `readable until ${archive.restoredUntil}`
            : archive?.state === 'restoring'
              ? 'restore in progress'
              : (archive?.state ?? 'not archived')
        out.result(answer, `${path}: ${OUTCOME_WORDS[outcome]} (${state}).`)
        return 0
      }),
    )
}
