import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import type { DeletePlan, DeleteResult } from '../../../preload/contract/browser-models'
import { deletionQuestion, versioningNote } from '../../../preload/contract/deletion-summary'
import type { ContractClient } from '../../ipc/contract-client'
import { ContractError } from '../../ipc/contract-client'
import { splitBucketPath } from '../bucket-path'
import { accountId, type CliContext } from '../context'
import type { Output } from '../output'

interface RmOptions {
  account?: string
  recursive?: boolean
  yes?: boolean
}

interface Targets {
  keys: string[]
  prefixes: string[]
}

/** Reads one answer line; "y" or "yes" confirms, anything else (or no answer) does not. */
async function confirm(question: string): Promise<boolean> {
  process.stderr.write(`${question} [y/N] `)
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    lines.close()
    return /^\s*y(es)?\s*$/i.test(line)
  }
  return false
}

/** Decides whether each path is an object or a folder, by listing (through the contract) what is there. */
async function resolveTargets(
  client: ContractClient,
  id: string,
  bucket: string,
  keys: string[],
  recursive: boolean,
): Promise<Targets> {
  const targets: Targets = { keys: [], prefixes: [] }
  for (const key of keys) {
    if (!key) {
      throw new ContractError(
        'INVALID_ARGUMENT',
        `Refusing to delete the whole bucket "${bucket}": name a key or folder.`,
      )
    }
    const folder = key.endsWith('/') ? key : `${key}/`
    const isObject =
      !key.endsWith('/') &&
      (await client.call('storage:list', { accountId: id, bucket, prefix: key, pageSize: 1 })).objects.some(
        (o) => o.key === key,
      )
    if (isObject) {
      targets.keys.push(key)
      continue
    }
    const underFolder = await client.call('storage:list', {
      accountId: id,
      bucket,
      prefix: folder,
      pageSize: 1,
    })
    if (underFolder.objects.length === 0 && underFolder.folders.length === 0) {
      throw new ContractError(
        'NOT_FOUND',
        `There is no object or folder "${key}" in "${bucket}". Nothing was deleted.`,
      )
    }
    if (!recursive) {
      throw new ContractError(
        'INVALID_ARGUMENT',
        `"${bucket}/${folder}" is a folder: add --recursive to delete it and everything in it.`,
      )
    }
    targets.prefixes.push(folder)
  }
  return targets
}

function report(out: Output, bucket: string, result: DeleteResult): number {
  const markers =
    result.deleteMarkers > 0
      ? ` (${result.deleteMarkers.toLocaleString('en')} delete markers written: earlier versions stay)`
      : ''
  const lines = [
    `Deleted ${result.deleted.toLocaleString('en')} object${result.deleted === 1 ? '' : 's'} from "${bucket}"${markers}.`,
  ]
  if (result.failedCount > 0) {
    lines.push(`${result.failedCount.toLocaleString('en')} could not be deleted:`)
    lines.push(...result.failures.map((f) => `  ${f.key}: ${f.message} (${f.code})`))
    if (result.failedCount > result.failures.length)
      lines.push(`  ... and ${result.failedCount - result.failures.length} more`)
  }
  out.result({ bucket, ...result }, lines.join('\n'))
  return result.failedCount > 0 ? 1 : 0
}

async function deleteInBucket(
  ctx: CliContext,
  id: string,
  bucket: string,
  targets: Targets,
  yes: boolean,
): Promise<number> {
  const { client, out } = ctx
  const plan: DeletePlan = await client.call('storage:delete-plan', {
    accountId: id,
    bucket,
    ...targets,
  })
  const note = versioningNote(plan.versioning)
  if (!yes) {
    if (note) process.stderr.write(`${note}\n`)
    if (!(await confirm(deletionQuestion(plan, bucket)))) {
      throw new ContractError(
        'INVALID_ARGUMENT',
        'Not confirmed: nothing was deleted (pass --yes to delete without asking).',
      )
    }
  } else if (note) out.info(note)
  const operationId = randomUUID()
  const stop = client.on('storage:delete-progress', (p) => {
    if (p.operationId !== operationId) return
    out.progress(
      `Deleting from "${bucket}": ${p.deleted.toLocaleString('en')} of ${plan.total.toLocaleString('en')}${p.failed ? `, ${p.failed} failed` : ''}`,
    )
  })
  try {
    const result = await client.call('storage:delete', {
      accountId: id,
      bucket,
      ...targets,
      operationId,
    })
    out.endProgress()
    return report(out, bucket, result)
  } finally {
    stop()
  }
}

export function registerRemoveCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('rm <paths...>')
    .description(
      'delete objects (bucket/key) and, with --recursive, folders (bucket/folder/) after a confirmation',
    )
    .option('--account <name>', 'account (default: the only one)')
    .option('-r, --recursive', 'delete folders and everything in them')
    .option('-y, --yes', 'do not ask: delete at once (for scripts)')
    .action((paths: string[], options: RmOptions) =>
      run(async (ctx) => {
        const id = await accountId(ctx.client, options.account)
        const byBucket = new Map<string, string[]>()
        for (const path of paths) {
          const { bucket, key } = splitBucketPath(path)
          byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key])
        }
        // Every path is checked before anything is deleted: a typo stops the command with nothing gone.
        const resolved: [string, Targets][] = []
        for (const [bucket, keys] of byBucket) {
          resolved.push([
            bucket,
            await resolveTargets(ctx.client, id, bucket, keys, options.recursive === true),
          ])
        }
        let code = 0
        for (const [bucket, targets] of resolved) {
          code = Math.max(code, await deleteInBucket(ctx, id, bucket, targets, options.yes === true))
        }
        return code
      }),
    )
}
