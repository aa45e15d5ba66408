#!/usr/bin/env node
import { Command } from 'commander'
import { registerAccountCommands } from './cli/commands/account'
import { registerBrowseCommands } from './cli/commands/browse'
import { registerBucketCommands } from './cli/commands/bucket'
import { registerCustomerKeyCommands } from './cli/commands/customer-keys'
import { registerGetCommand } from './cli/commands/get'
import { registerRemoveCommand } from './cli/commands/remove'
import { registerRestoreCommand } from './cli/commands/restore'
import { registerServeCommand } from './cli/commands/serve'
import { registerSettingsCommand } from './cli/commands/settings'
import { registerStatusCommand } from './cli/commands/status'
import { registerSyncCommands } from './cli/commands/sync'
import { registerUploadCommand } from './cli/commands/upload'
import { type CliContext, createCliContext, type GlobalOptions } from './cli/context'
import { describeError } from './ipc/contract-client'
import { APP_VERSION } from './services'

/**
 * `obs-sync`: the headless face of the same core, for servers, scripts and our tests. Exit codes scripts can
 * trust: 0 all done; 1 something failed (one line on stderr says what); 2 the command line was wrong.
 */
// The SDK version is pinned on purpose to one that supports Node 20 (see README); its notice only adds noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const program = new Command()
  .name('obs-sync')
  .description('Encrypted uploads and folder sync to OBS and S3-compatible storage')
  .version(APP_VERSION)
  .option(
    '--data-dir <dir>',
    'folder for config, queue and state (default: OBS_SYNC_HOME or the OS app-data folder)',
  )
  .option('--json', 'machine-readable output: one JSON document per result')
  .option(
    '--concurrency <n>',
    'requests in flight at once over all uploads, for this run (1-64; default: the saved setting, see `settings`, else 32)',
    (v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN),
  )
  .option('--bandwidth <KiB/s>', 'limit the upload rate (default: unlimited)', (v) => Number.parseInt(v, 10))
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2)
  })

/** Runs one command with freshly built services, turns errors into one line and an exit code, and shuts down. */
async function run(
  action: (ctx: CliContext) => Promise<number>,
  overrides: { settleMs?: number } = {},
): Promise<void> {
  const options = program.opts<GlobalOptions>()
  let ctx: CliContext | undefined
  let code = 1
  try {
    ctx = createCliContext(options, overrides)
    code = await action(ctx)
  } catch (error) {
    ctx?.out.flush()
    const { code: errorCode, message } = describeError(error)
    if (errorCode === 'INTERNAL' && process.env.OBS_SYNC_DEBUG) console.error(error)
    if (options.json) process.stdout.write(`${JSON.stringify({ error: { code: errorCode, message } })}\n`)
    process.stderr.write(`obs-sync: ${message}\n`)
    code = errorCode === 'INVALID_ARGUMENT' ? 2 : 1
  } finally {
    await ctx?.services.shutdown().catch(() => {})
    ctx?.out.flush()
  }
  process.exit(code)
}

registerAccountCommands(program, run)
registerCustomerKeyCommands(program, run)
registerBrowseCommands(program, run)
registerRemoveCommand(program, run)
registerBucketCommands(program, run)
registerUploadCommand(program, run)
registerGetCommand(program, run)
registerSyncCommands(program, run)
registerStatusCommand(program, run)
registerRestoreCommand(program, run)
registerServeCommand(program, run)
registerSettingsCommand(program, run)

await program.parseAsync()
