import type { Command } from 'commander'
import type { BucketDefaultChoice } from '../../../preload/contract/browser-models'
import type { BucketEncryption } from '../../../preload/contract/models'
import { ContractError } from '../../ipc/contract-client'
import { splitBucketPath } from '../bucket-path'
import { accountId, type CliContext } from '../context'

interface DefaultOptions {
  account?: string
  sse?: string
  kmsKey?: string
}

/** `--sse kms [--kms-key id] | --sse obs` as a bucket default (SSE-C and "none" cannot be bucket defaults). */
function defaultFromOptions(options: DefaultOptions): BucketDefaultChoice | undefined {
  if (options.sse === undefined) {
    if (options.kmsKey) return { mode: 'sse-kms', keyId: options.kmsKey }
    return undefined
  }
  if (options.sse === 'kms')
    return options.kmsKey ? { mode: 'sse-kms', keyId: options.kmsKey } : { mode: 'sse-kms' }
  if (['obs', 's3', 'aes256'].includes(options.sse)) {
    if (options.kmsKey)
      throw new ContractError('INVALID_ARGUMENT', '--kms-key goes with --sse kms, not --sse obs.')
    return { mode: 'sse-obs' }
  }
  throw new ContractError(
    'INVALID_ARGUMENT',
    `A bucket default is --sse kms or --sse obs, not "${options.sse}".`,
  )
}

export function encryptionText(state: BucketEncryption): string {
  if (state.state === 'none') return 'none (objects are stored unencrypted unless an upload asks otherwise)'
  if (state.state === 'unknown') return `unknown: ${state.reason}`
  const e = state.encryption
  if (e.mode === 'sse-kms')
    return `SSE-KMS with ${e.kmsKeyId ? `key ${e.kmsKeyId}` : 'the provider default key'}`
  return e.mode === 'sse-obs' ? 'SSE-OBS / SSE-S3 (AES256)' : e.mode
}

export function registerBucketCommands(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('mb <bucket>')
    .description("create a bucket in the account's region, optionally with a default encryption")
    .option('--account <name>', 'account (default: the only one)')
    .option('--sse <mode>', 'default encryption of the new bucket: kms | obs')
    .option('--kms-key <id>', 'KMS key id for --sse kms (default: the provider default key)')
    .action((name: string, options: DefaultOptions) =>
      run(async ({ client, out }) => {
        const id = await accountId(client, options.account)
        const encryption = defaultFromOptions(options)
        const result = await client.call('storage:create-bucket', {
          accountId: id,
          name,
          ...(encryption ? { encryption } : {}),
        })
        const lines = [`Created bucket "${result.name}"${result.region ? ` in ${result.region}` : ''}.`]
        if (result.encryption) lines.push(`Default encryption: ${encryptionText(result.encryption)}.`)
        out.result(result, lines.join('\n'))
        if (result.encryptionError) {
          process.stderr.write(
            `obs-sync: the bucket exists, but its default encryption was not set: ${result.encryptionError.message}\n`,
          )
          return 1
        }
        return 0
      }),
    )

  program
    .command('mkdir <path>')
    .description(
      'create a folder (a zero-byte "name/" object, as the OBS and S3 consoles do): bucket/parent/name',
    )
    .option('--account <name>', 'account (default: the only one)')
    .action((path: string, options: { account?: string }) =>
      run(async ({ client, out }) => {
        const { bucket, key } = splitBucketPath(path)
        const parts = key.split('/').filter(Boolean)
        const name = parts.pop()
        if (!name)
          throw new ContractError('INVALID_ARGUMENT', 'Name the folder to create: bucket/parent/name.')
        const prefix = parts.length ? `${parts.join('/')}/` : ''
        const id = await accountId(client, options.account)
        const result = await client.call('storage:create-folder', {
          accountId: id,
          bucket,
          prefix,
          name,
        })
        out.result({ bucket, ...result }, `Created folder ${bucket}/${result.key}`)
        return 0
      }),
    )

  program
    .command('bucket-encryption <bucket>')
    .description(
      "show a bucket's default encryption, or set it (--sse kms [--kms-key id] | --sse obs) or --remove it",
    )
    .option('--account <name>', 'account (default: the only one)')
    .option('--sse <mode>', 'set the default: kms | obs')
    .option('--kms-key <id>', 'KMS key id for --sse kms (default: the provider default key)')
    .option('--remove', 'remove the default (existing objects keep their encryption)')
    .action((bucket: string, options: DefaultOptions & { remove?: boolean }) =>
      run(async ({ client, out }) => {
        const id = await accountId(client, options.account)
        const choice = defaultFromOptions(options)
        if (choice && options.remove)
          throw new ContractError('INVALID_ARGUMENT', 'Either --sse or --remove, not both.')
        if (options.remove) {
          const state = await client.call('storage:remove-bucket-encryption', id, bucket)
          out.result(
            { bucket, ...state },
            `Default encryption of "${bucket}" removed: new uploads are no longer encrypted by default. Existing objects keep their encryption (it cannot be changed).`,
          )
          return 0
        }
        const state = choice
          ? await client.call('storage:set-bucket-encryption', id, bucket, choice)
          : await client.call('storage:bucket-encryption', id, bucket)
        out.result({ bucket, ...state }, `Default encryption of "${bucket}": ${encryptionText(state)}`)
        return 0
      }),
    )
}
