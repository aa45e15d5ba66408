import { resolve } from 'node:path'
import type { Command } from 'commander'
import {
  type Account,
  type AccountInput,
  type Provider,
  plainHttpWarning,
  providerSchema,
} from '../../../preload/contract/models'
import { accountId, type CliContext, usageError } from '../context'
import { promptHidden, readStdin } from '../read-secret'

interface AddOptions {
  provider: string
  endpoint?: string
  region?: string
  accessKeyId: string
  caFile?: string
  pathStyle?: boolean
  projectId?: string
  secretStdin?: boolean
}

interface UpdateOptions {
  endpoint?: string
  region?: string
  accessKeyId?: string
  caFile?: string
  proxy?: string
  pathStyle?: boolean
  virtualHosted?: boolean
  projectId?: string
  rename?: string
  secretStdin?: boolean
  secretPrompt?: boolean
}

/** A path typed on the command line, relative to where the command runs, as the full path core keeps. */
function fullPath(path: string | undefined): string | undefined {
  return path ? resolve(path) : path
}

/** The edited account as the contract's accounts:update takes it: the current settings with the options given. */
function editedInput(current: Account, options: UpdateOptions, secret: string | undefined): AccountInput {
  if (options.pathStyle && options.virtualHosted)
    throw usageError('Choose one of --path-style and --virtual-hosted.')
  const { id: _id, ...settings } = current
  const clear = (value: string | undefined, old: string | undefined) =>
    value === undefined ? old : value === '' ? undefined : value
  return {
    ...settings,
    name: options.rename ?? current.name,
    endpoint: options.endpoint ?? current.endpoint,
    region: options.region ?? current.region,
    accessKeyId: options.accessKeyId ?? current.accessKeyId,
    caFile: clear(fullPath(options.caFile), current.caFile),
    proxy: clear(options.proxy, current.proxy),
    projectId: clear(options.projectId, current.projectId),
    addressing: options.pathStyle ? 'path' : options.virtualHosted ? 'virtual-hosted' : current.addressing,
    ...(secret ? { secretAccessKey: secret } : {}),
  }
}

export function registerAccountCommands(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  const account = program.command('account').description('add, list, test and remove storage accounts')

  account
    .command('add <name>')
    .description(
      'add an account; the secret key goes to the OS keychain, read from a hidden prompt or --secret-stdin',
    )
    .requiredOption('--provider <preset>', `one of ${providerSchema.options.join(', ')}`)
    .option('--endpoint <url>', 'https://... (default: the preset endpoint for the region)')
    .option('--region <region>', 'region (default: the preset default)')
    .requiredOption('--access-key-id <id>', 'access key id (AK)')
    .option('--ca-file <pem>', 'extra CA certificate to trust for this endpoint')
    .option('--path-style', 'path-style addressing (self-hosted servers; OBS requires virtual-hosted)')
    .option('--project-id <id>', 'Huawei Cloud / OTC project id of the region (for listing KMS keys)')
    .option('--secret-stdin', 'read the secret key from stdin instead of prompting')
    .action((name: string, options: AddOptions) =>
      run(async ({ client, out }) => {
        const parsed = providerSchema.safeParse(options.provider)
        if (!parsed.success) throw usageError(`Unknown provider "${options.provider}".`)
        const secret = options.secretStdin ? await readStdin() : await promptHidden('Secret access key: ')
        if (!secret) throw usageError('The secret key is empty.')
        // Region, endpoint and addressing left out are filled from the provider's preset, in core.
        const created = await client.call('accounts:add', {
          name,
          provider: parsed.data as Provider,
          endpoint: options.endpoint,
          region: options.region,
          addressing: options.pathStyle ? 'path' : undefined,
          caFile: fullPath(options.caFile),
          projectId: options.projectId,
          accessKeyId: options.accessKeyId,
          secretAccessKey: secret,
        })
        const httpWarning = plainHttpWarning(created.endpoint)
        if (httpWarning) out.info(`warning: ${httpWarning}`)
        out.result(
          created,
          `Added account "${created.name}" (${created.endpoint}); its secret key is in the OS keychain.`,
        )
        return 0
      }),
    )

  account
    .command('update <name>')
    .description(
      'change an account; the change applies at once (held uploads of the account are retried with it)',
    )
    .option('--endpoint <url>', 'new endpoint')
    .option('--region <region>', 'new region')
    .option('--access-key-id <id>', 'new access key id (AK)')
    .option('--ca-file <pem>', 'CA certificate to trust for this endpoint ("" to remove)')
    .option('--proxy <url>', 'HTTP(S) proxy for this account ("" to remove)')
    .option('--path-style', 'path-style addressing')
    .option('--virtual-hosted', 'virtual-hosted addressing (OBS requires it)')
    .option('--project-id <id>', 'Huawei Cloud / OTC project id ("" to remove)')
    .option('--rename <new-name>', 'new name of the account')
    .option('--secret-stdin', 'read a new secret key from stdin')
    .option('--secret-prompt', 'ask for a new secret key on the terminal (hidden)')
    .action((name: string, options: UpdateOptions) =>
      run(async ({ client, out }) => {
        const current = await client.call('accounts:find', { nameOrId: name })
        const secret = options.secretStdin
          ? await readStdin()
          : options.secretPrompt
            ? await promptHidden('New secret access key: ')
            : undefined
        if ((options.secretStdin || options.secretPrompt) && !secret)
          throw usageError('The secret key is empty.')
        const input = editedInput(current, options, secret)
        const updated = await client.call('accounts:update', current.id, input)
        out.result(
          updated,
          `Updated account "${updated.name}" (${updated.endpoint})${secret ? '; its new secret key is in the OS keychain' : ''}.`,
        )
        return 0
      }),
    )

  account
    .command('list')
    .description('list accounts (never their secrets)')
    .action(() =>
      run(async ({ client, out }) => {
        const accounts = await client.call('accounts:list')
        const text = accounts.length
          ? accounts
              .map((a) => `${a.name}\t${a.provider}\t${a.endpoint}\t${a.region}\t${a.accessKeyId}`)
              .join('\n')
          : 'No account yet: add one with `obs-sync account add`.'
        out.result(accounts, text)
        return 0
      }),
    )

  account
    .command('test <name>')
    .description('check that the endpoint answers and the keys are accepted')
    .action((name: string) =>
      run(async ({ client, out }) => {
        const result = await client.call('accounts:test', await accountId(client, name))
        out.result(result, `OK: ${result.bucketCount} bucket(s), ${result.latencyMs} ms.`)
        return 0
      }),
    )

  account
    .command('remove <name>')
    .description('remove an account and its keychain entries')
    .action((name: string) =>
      run(async ({ client, out }) => {
        const found = await client.call('accounts:find', { nameOrId: name })
        await client.call('accounts:remove', found.id)
        out.result({ removed: found.name }, `Removed account "${found.name}" and its keychain entries.`)
        return 0
      }),
    )
}
