import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { SyncPair } from '../../../preload/contract/sync-models'
import { AppError } from '../../core/errors'
import { accountId, type CliContext } from '../context'
import { encryptionFromOptions, type SseOptions } from '../encryption-option'
import { showProgress } from './transfer-progress'
import { addSseOptions } from './upload'

interface SyncOptions extends SseOptions {
  account?: string
  bucket: string
  prefix?: string
  mirror?: boolean
  deleteCap?: string
  confirmDeletes?: boolean
  checkRemote?: boolean
}

/** A CLI folder is not saved as a watched folder; its id is derived from what it syncs, so state carries over. */
async function transientPair(folder: string, options: SyncOptions, account: string): Promise<SyncPair> {
  const localPath = resolve(folder)
  const prefix = (options.prefix ?? '').replace(/^\/+/, '')
  const id = `cli-${createHash('sha256').update(`${localPath}\n${account}\n${options.bucket}\n${prefix}`).digest('hex').slice(0, 16)}`
  return {
    id,
    localPath,
    accountId: account,
    bucket: options.bucket,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    encryption: encryptionFromOptions(options),
    storageClass: options.storageClass,
    mode: options.mirror ? 'mirror' : 'upload-only',
    mirrorDeleteCapPercent: Number(options.deleteCap ?? 20),
    paused: false,
  }
}

function syncCommand(program: Command, name: string, description: string) {
  return addSseOptions(
    program
      .command(`${name} <folder>`)
      .description(description)
      .option('--account <name>', 'account (default: the only one)')
      .requiredOption('--bucket <bucket>', 'target bucket')
      .option('--prefix <prefix>', 'folder in the bucket', '')
      .option('--mirror', 'delete remote objects whose local files were deleted (default: upload only)')
      .option('--delete-cap <percent>', 'mirror: refuse to delete more than this share in one pass', '20')
      .option('--confirm-deletes', 'mirror: allow this pass to delete more than the cap')
      .option('--check-remote', 'also report objects changed or deleted in the bucket since our uploads'),
  )
}

async function waitForPair(ctx: CliContext, pairId: string): Promise<void> {
  for (;;) {
    if (ctx.services.queue.pendingFor(pairId) === 0) return
    const status = ctx.services.queue.status()
    if (status.state === 'error' && status.running === 0 && ctx.services.queue.pendingFor(pairId) > 0) {
      // Held by an account problem (bad credentials...): waiting will not help.
      throw new AppError(
        'BAD_CREDENTIALS',
        'Uploads are held: the account needs fixing (see `obs-sync status`).',
      )
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

export function registerSyncCommands(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>, opts?: { settleMs?: number }) => Promise<void>,
) {
  syncCommand(
    program,
    'sync',
    'one pass: upload what changed in the folder since the last pass, then exit',
  ).action((folder: string, options: SyncOptions) =>
    run(async (ctx) => {
      const { services, out } = ctx
      const pair = await transientPair(folder, options, await accountId(services, options.account))
      services.queue.start()
      await services.sync.runTransient(pair, {
        watch: false,
        confirmDeletes: options.confirmDeletes === true,
      })
      const stop = showProgress(services, out)
      await waitForPair(ctx, pair.id)
      stop()
      const failed = services.queue.failedFor(pair.id)
      const problems = services.sync.problems(pair.id)
      // Listing a large bucket costs more than the pass itself: the remote report is asked for.
      const remote = options.checkRemote
        ? await services.sync.remoteChanges(pair.id)
        : { changed: [], deleted: [] }
      for (const c of remote.changed) out.info(`changed in the bucket: ${c.key} (${c.reason})`)
      for (const d of remote.deleted) out.info(`deleted from the bucket: ${d.key} (the local file is kept)`)
      out.result(
        { folder: pair.localPath, failed: failed.length, problems, remote },
        failed.length ? `${failed.length} file(s) failed.` : 'In sync.',
      )
      if (problems.length > 0) throw new AppError('DELETIONS_HELD', problems[0] ?? 'Sync problem.')
      if (failed.length > 0)
        throw new AppError(
          failed[0]?.error?.code ?? 'INTERNAL',
          failed[0]?.error?.message ?? 'Upload failed.',
        )
      return 0
    }),
  )

  syncCommand(
    program,
    'watch',
    'catch up, then upload changes as they happen until Ctrl-C or SIGTERM',
  ).action((folder: string, options: SyncOptions) =>
    run(async ({ services, out }) => {
      const pair = await transientPair(folder, options, await accountId(services, options.account))
      services.queue.start()
      await services.sync.runTransient(pair, { watch: true, confirmDeletes: options.confirmDeletes === true })
      out.info(`Watching ${pair.localPath} -> ${pair.bucket}/${pair.prefix}. Press Ctrl-C to stop.`)
      const offActivity = services.bus.on('activity', (entry) =>
        out.info(`[${entry.level}] ${entry.message}`),
      )
      const stop = showProgress(services, out)
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', resolveStop)
        process.once('SIGTERM', resolveStop)
      })
      stop()
      offActivity()
      out.info('Stopping: unfinished uploads stay queued for next time.')
      return 0
    }),
  )
}
