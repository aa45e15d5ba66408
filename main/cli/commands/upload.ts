import { resolve } from 'node:path'
import type { Command } from 'commander'
import { ContractError } from '../../ipc/contract-client'
import { accountId, type CliContext } from '../context'
import { encryptionFromOptions, type SseOptions } from '../encryption-option'
import { ON_EXISTS_OPTION, parseOnExists } from '../on-exists-option'
import { heldCount, problemLines } from '../problem-lines'
import { noteUploadLimit } from '../upload-limit-note'
import { showProgress } from './transfer-progress'

interface UploadOptions extends SseOptions {
  account?: string
  bucket: string
  prefix?: string
  onExists: string
}

export function addSseOptions(command: Command): Command {
  return command
    .option('--sse <mode>', 'kms | obs | c | none (default: the bucket default encryption)')
    .option('--kms-key <id>', 'KMS key id for --sse kms (default: the provider default key)')
    .option('--sse-c-key <name>', 'name of the SSE-C customer key in the keychain, for --sse c')
    .option(
      '--storage-class <class>',
      "storage class of new uploads: the provider's name (OBS: standard, warm, cold) or the S3 id (STANDARD_IA, GLACIER); default: the bucket's",
    )
}

export function registerUploadCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  addSseOptions(
    program
      .command('upload <paths...>')
      .description('upload files and folders through the durable queue and wait until they are done')
      .option('--account <name>', 'account (default: the only one)')
      .requiredOption('--bucket <bucket>', 'target bucket')
      .option('--prefix <prefix>', 'folder in the bucket', '')
      .option(...ON_EXISTS_OPTION),
  ).action((paths: string[], options: UploadOptions) =>
    run(async ({ client, services, out }) => {
      const onExists = parseOnExists(options.onExists)
      const id = await accountId(client, options.account)
      services.startQueue()
      await noteUploadLimit(client, out)
      const result = await client.call('queue:enqueue', {
        accountId: id,
        bucket: options.bucket,
        prefix: options.prefix ?? '',
        paths: paths.map((p) => resolve(p)),
        encryption: encryptionFromOptions(options),
        storageClass: options.storageClass,
        onExists,
      })
      for (const skipped of result.skipped) out.info(`skipped ${skipped.path}: ${skipped.reason}`)
      // Not a problem: the rule said to keep the object that is there (skip, or compare found the same content).
      const kept = result.kept ?? []
      for (const file of kept)
        out.info(`kept ${options.bucket}/${file.key} (${file.reason}): ${file.path} not sent`)
      const stop = showProgress(client, out)
      // Jobs left by an earlier run that was killed are finished too, without re-uploading finished files.
      const { done, unfinished } = await client.call('queue:wait', {
        jobIds: result.jobIds,
        includePending: true,
      })
      stop()
      // Counted as `obs-sync status` counts them: failed, or held (still queued, until the account is fixed).
      // The queue groups them by cause (the one grouping every shell shows).
      const problems = unfinished.length
        ? await client.call('queue:problem-groups', { jobIds: unfinished.map((j) => j.id) })
        : { groups: [], more: { groups: 0, jobs: 0 } }
      const held = heldCount(problems.groups)
      const summary = {
        uploaded: done,
        failed: unfinished.length - held,
        held,
        skipped: result.skipped,
        kept: kept.length,
        errors: unfinished.map((j) => ({ path: j.sourcePath, key: j.key, error: j.error })),
      }
      if (unfinished.length > 0) {
        // Each reason before the summary, once per cause however many jobs share it.
        for (const line of problemLines(problems)) out.info(line)
        out.result(
          summary,
          `${summary.uploaded} uploaded, ${summary.failed} failed${held ? `, ${held} held (still queued)` : ''}.`,
        )
        const first = problems.groups[0]?.error
        throw new ContractError(
          first?.code ?? 'INTERNAL',
          `${unfinished.length} upload(s) ${held ? 'did not finish' : 'failed'}: ${first?.message ?? 'no reason was recorded'}`,
        )
      }
      out.result(
        summary,
        `${summary.uploaded} uploaded${kept.length ? `, ${kept.length} already there` : ''}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}.`,
      )
      return result.skipped.length > 0 ? 1 : 0
    }),
  )
}
