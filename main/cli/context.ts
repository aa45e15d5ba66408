import { requestLimitSchema } from '../../preload/contract/queue-settings'
import { type ContractClient, ContractError } from '../ipc/contract-client'
import { type AppServices, createAppServices, resolveDataDir } from '../services'
import { createOutput, type Output } from './output'

export interface GlobalOptions {
  dataDir?: string
  json?: boolean
  concurrency?: number
  bandwidth?: number
}

export interface CliContext {
  /** The contract, through the same dispatch as the Electron and web shells: every command's way to the core. */
  client: ContractClient
  /** The process's services: started, served and shut down by the commands (never called for behaviour). */
  services: Pick<
    AppServices,
    'dataDir' | 'dispatch' | 'bus' | 'transfers' | 'start' | 'startQueue' | 'shutdown' | 'flushEvents'
  >
  out: Output
}

/** Builds the services for one CLI command (the CLI's composition root hands this to each command). */
export function createCliContext(
  options: GlobalOptions,
  serviceOverrides: { settleMs?: number } = {},
): CliContext {
  const out = createOutput(options.json === true)
  // This run's request limit is checked by the contract's rule before anything starts (exit code 2 when wrong).
  if (options.concurrency !== undefined) {
    const limit = requestLimitSchema.safeParse(options.concurrency)
    if (!limit.success) throw usageError(`--concurrency: ${limit.error.issues[0]?.message}`)
  }
  const services = createAppServices({
    dataDir: resolveDataDir(options.dataDir),
    host: 'web',
    settleMs: serviceOverrides.settleMs,
    // The web UI's folder picker stays under this folder (default: the user's home).
    browseRoot: process.env.OBS_SYNC_BROWSE_ROOT || undefined,
    concurrency: options.concurrency,
    bandwidthBytesPerSecond: options.bandwidth ? options.bandwidth * 1024 : undefined,
    log: (message, error) => {
      if (!options.json)
        process.stderr.write(`${message}${error instanceof Error ? `: ${error.message}` : ''}\n`)
    },
  })
  return { client: services.client, services, out }
}

/** A command line that cannot be right (exit code 2). */
export function usageError(message: string): Error {
  return new ContractError('INVALID_ARGUMENT', message)
}

/** The id of the account named by `--account` (name or id), or of the only account. */
export async function accountId(client: ContractClient, nameOrId: string | undefined): Promise<string> {
  return (await client.call('accounts:find', { nameOrId })).id
}
