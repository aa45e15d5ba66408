import { Command } from 'commander'
import {
  DEFAULT_REQUEST_LIMIT,
  MAX_REQUEST_LIMIT,
  MIN_REQUEST_LIMIT,
} from '../../preload/contract/queue-settings'
import { describeError } from '../ipc/contract-client'
import { APP_VERSION } from '../services'
import { registerAccountCommands } from './commands/account'
import { registerBrowseCommands } from './commands/browse'
import { registerBucketCommands } from './commands/bucket'
import { registerCustomerKeyCommands } from './commands/customer-keys'
import { registerGetCommand } from './commands/get'
import { registerRemoveCommand } from './commands/remove'
import { registerRestoreCommand } from './commands/restore'
import { registerServeCommand } from './commands/serve'
import { registerSettingsCommand } from './commands/settings'
import { registerStatusCommand } from './commands/status'
import { registerSyncCommands } from './commands/sync'
import { registerUploadCommand } from './commands/upload'
import {
  type CliContext,
  createCliContext,
  type GlobalOptions,
  type RunOptions,
  wholeNumberArg,
} from './context'

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
    `requests in flight at once over all uploads, for this run (${MIN_REQUEST_LIMIT}-${MAX_REQUEST_LIMIT}; default: the saved setting, see \`settings\`, else ${DEFAULT_REQUEST_LIMIT})`,
    wholeNumberArg,
  )
  .option(
    '--bandwidth <rate>',
    'upload limit of this run in KiB/s, or with a unit (5M, "5 MB/s"), or none (default: the saved upload limit, see settings)',
  )
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2)
  })

/** Runs one command with freshly built services, turns errors into one line and an exit code, and shuts down. */
async function run(action: (ctx: CliContext) => Promise<number>, overrides: RunOptions = {}): Promise<void> {
  const options = program.opts<GlobalOptions>()
  let ctx: CliContext | undefined
  let code = 1
  try {
    overrides.check?.()
    ctx = createCliContext(options, overrides)
    code = await action(ctx)
  } catch (error) {
    ctx?.out.flush()
    const { code: errorCode, message, params } = describeError(error)
    if (errorCode === 'INTERNAL' && process.env.OBS_SYNC_DEBUG) console.error(error)
    // A script reads what the error names (the counts of held deletions, a bucket) without parsing the sentence.
    if (options.json)
      process.stdout.write(`${JSON.stringify({ error: { code: errorCode, message, params } })}\n`)
    process.stderr.write(`obs-sync: ${message}\n`)
    code = errorCode === 'INVALID_ARGUMENT' ? 2 : 1
  } finally {
    await ctx?.services.shutdown().catch(() => {})
    ctx?.out.flush()
  }
  process.exit(code)
}

/**
 * Registers the commands and runs the one on the command line. `rendererDir` is the built web UI for `serve`:
 * the entry (cli.ts) knows where it sits, this module is bundled into a chunk elsewhere.
 */
export async function runCli(rendererDir: string): Promise<void> {
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
  registerServeCommand(program, run, rendererDir)
  registerSettingsCommand(program, run)
  await program.parseAsync()
}
