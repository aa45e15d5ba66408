import { resolve } from 'node:path'
import type { Command } from 'commander'
import {
  DEFAULT_MIRROR_DELETE_CAP_PERCENT,
  deleteCapSchema,
  type TransientSync,
} from '../../../preload/contract/sync-models'
import { type ContractClient, ContractError } from '../../ipc/contract-client'
import { accountId, type CliContext, checkedOption, type Run, wholeNumberArg } from '../context'
import { encryptionFromOptions, type SseOptions } from '../encryption-option'
import { noteUploadLimit } from '../upload-limit-note'
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

/** `--delete-cap` as a number ("abc" or 12.5 is NaN, refused with the option's name before anything starts). */
const deleteCap = (options: SyncOptions) =>
  options.deleteCap === undefined ? undefined : wholeNumberArg(options.deleteCap)

/**
 * The folder as the contract takes it; the core normalises the prefix, derives the folder's id and checks the
 * delete cap (a whole percentage: "abc" is refused as a usage error, never read as "no cap").
 */
async function syncRequest(
  client: ContractClient,
  folder: string,
  options: SyncOptions,
): Promise<TransientSync> {
  return {
    localPath: resolve(folder),
    accountId: await accountId(client, options.account),
    bucket: options.bucket,
    prefix: options.prefix ?? '',
    encryption: encryptionFromOptions(options),
    storageClass: options.storageClass,
    mode: options.mirror ? 'mirror' : 'upload-only',
    mirrorDeleteCapPercent: deleteCap(options),
    confirmDeletes: options.confirmDeletes === true,
    checkRemote: options.checkRemote === true,
  }
}

/**
 * `sync` and `watch` take the same folder and options and start the same way: the pair as the contract takes it,
 * the queue running; then each goes its own way with the pair.
 */
function syncCommand(
  program: Command,
  run: Run,
  spec: { name: string; description: string },
  action: (ctx: CliContext, request: TransientSync) => Promise<number>,
) {
  const command = addSseOptions(
    program
      .command(`${spec.name} <folder>`)
      .description(spec.description)
      .option('--account <name>', 'account (default: the only one)')
      .requiredOption('--bucket <bucket>', 'target bucket')
      .option('--prefix <prefix>', 'folder in the bucket', '')
      .option('--mirror', 'delete remote objects whose local files were deleted (default: upload only)')
      .option(
        '--delete-cap <percent>',
        `mirror: refuse to delete more than this share in one pass (default ${DEFAULT_MIRROR_DELETE_CAP_PERCENT})`,
      )
      .option('--confirm-deletes', 'mirror: allow this pass to delete more than the cap')
      .option('--check-remote', 'also report objects changed or deleted in the bucket since our uploads'),
  )
  command.action((folder: string, options: SyncOptions) =>
    run(
      async (ctx) => {
        const request = await syncRequest(ctx.client, folder, options)
        ctx.services.startQueue()
        await noteUploadLimit(ctx.client, ctx.out)
        return action(ctx, request)
      },
      { check: () => checkedOption('--delete-cap', deleteCapSchema, deleteCap(options)) },
    ),
  )
}

/** The pass's one-line outcome: "In sync." only when nothing failed, nothing is held and nothing waits. */
function syncSummary(report: { failed: unknown[]; problems: string[]; held?: unknown }): string {
  if (report.failed.length) return `${report.failed.length} file(s) failed.`
  if (report.held) return 'Not in sync: uploads are held.'
  if (report.problems.length) return 'Not in sync: see below.'
  return 'In sync.'
}

export function registerSyncCommands(program: Command, run: Run) {
  const once = {
    name: 'sync',
    description: 'one pass: upload what changed in the folder since the last pass, then exit',
  }
  syncCommand(program, run, once, async ({ client, out }, request) => {
    const stop = showProgress(client, out)
    // Answers when the folder's uploads are done, or held by their account (waiting would not help).
    const report = await client.call('sync:run-once', request).finally(stop)
    const { failed, problems, remote } = report
    for (const c of remote.changed) out.info(`changed in the bucket: ${c.key} (${c.reason})`)
    for (const d of remote.deleted) out.info(`deleted from the bucket: ${d.key} (the local file is kept)`)
    out.result({ folder: report.folder, failed: failed.length, problems, remote }, syncSummary(report))
    if (report.held)
      throw new ContractError(
        report.held.code,
        `Uploads are held: ${report.held.message} (see \`obs-sync status\`).`,
      )
    const { deletionsHeld } = report
    if (deletionsHeld)
      throw new ContractError(deletionsHeld.code, deletionsHeld.message, { params: deletionsHeld.params })
    if (failed.length > 0)
      throw new ContractError(
        failed[0]?.error?.code ?? 'INTERNAL',
        failed[0]?.error?.message ?? 'Upload failed.',
      )
    return 0
  })

  const watch = {
    name: 'watch',
    description: 'catch up, then upload changes as they happen until Ctrl-C or SIGTERM',
  }
  syncCommand(program, run, watch, async ({ client, services, out }, request) => {
    const pair = await client.call('sync:watch', request)
    out.info(`Watching ${pair.localPath} -> ${pair.bucket}/${pair.prefix}. Press Ctrl-C to stop.`)
    const offActivity = client.on('activity', (lines) => {
      for (const line of lines) out.info(`[${line.level}] ${line.message}`)
    })
    const stop = showProgress(client, out)
    await new Promise<void>((resolveStop) => {
      process.once('SIGINT', resolveStop)
      process.once('SIGTERM', resolveStop)
    })
    stop()
    // Lines of the last moments are still gathered into their event: printed before we stop listening.
    services.flushEvents()
    offActivity()
    out.info('Stopping: unfinished uploads stay queued for next time.')
    return 0
  })
}
