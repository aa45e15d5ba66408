import type { Command } from 'commander'
import { accountId, type CliContext, usageError } from '../context'
import { promptHidden, readStdin } from '../read-secret'

interface KeyOptions {
  account?: string
}

interface ImportOptions extends KeyOptions {
  keyStdin?: boolean
}

/**
 * `obs-sync sse-c-key list|create|import|export|delete`: the SSE-C customer keys of an account, kept in the OS
 * keychain. Export and import exist for backups and for a second computer: without its key an object encrypted
 * with SSE-C cannot be read by anyone, the provider included.
 */
export function registerCustomerKeyCommands(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  const keys = program
    .command('sse-c-key')
    .description(
      'SSE-C customer keys of an account (kept in the OS keychain): list, create, import, export, delete',
    )

  keys
    .command('list')
    .description('the names of the account’s SSE-C keys')
    .option('--account <name>', 'account name or id (default: the only account)')
    .action((options: KeyOptions) =>
      run(async ({ client, out }) => {
        const names = await client.call('sse-c:list', await accountId(client, options.account))
        out.result(names, names.length ? names.join('\n') : 'No SSE-C keys.')
        return 0
      }),
    )

  keys
    .command('create <name>')
    .description('make a new random 256-bit key; back it up with `sse-c-key export`')
    .option('--account <name>', 'account name or id (default: the only account)')
    .action((name: string, options: KeyOptions) =>
      run(async ({ client, out }) => {
        await client.call('sse-c:create', await accountId(client, options.account), name)
        out.result(
          { name },
          `Created the SSE-C key "${name}" in the OS keychain. Back it up (sse-c-key export): objects encrypted with it cannot be read without it.`,
        )
        return 0
      }),
    )

  keys
    .command('import <name>')
    .description(
      'store a key made elsewhere (base64, as `export` prints it), read from a hidden prompt or stdin',
    )
    .option('--account <name>', 'account name or id (default: the only account)')
    .option('--key-stdin', 'read the key from stdin instead of prompting')
    .action((name: string, options: ImportOptions) =>
      run(async ({ client, out }) => {
        // Never an argument: arguments are visible to every user in the process list and stay in shell history.
        const key = options.keyStdin ? await readStdin() : await promptHidden('SSE-C key (base64): ')
        if (!key.trim()) throw usageError('The key is empty.')
        await client.call('sse-c:import', await accountId(client, options.account), name, key.trim())
        out.result({ name }, `Imported the SSE-C key "${name}" into the OS keychain.`)
        return 0
      }),
    )

  keys
    .command('export <name>')
    .description('print the key in base64 for a backup (keep it where you keep passwords)')
    .option('--account <name>', 'account name or id (default: the only account)')
    .action((name: string, options: KeyOptions) =>
      run(async ({ client, out }) => {
        const key = await client.call('sse-c:export', await accountId(client, options.account), name)
        out.result({ name, key }, key)
        return 0
      }),
    )

  keys
    .command('delete <name>')
    .description('remove the key from the keychain (objects encrypted with it become unreadable here)')
    .option('--account <name>', 'account name or id (default: the only account)')
    .action((name: string, options: KeyOptions) =>
      run(async ({ client, out }) => {
        await client.call('sse-c:delete', await accountId(client, options.account), name)
        out.result({ name }, `Deleted the SSE-C key "${name}".`)
        return 0
      }),
    )
}
