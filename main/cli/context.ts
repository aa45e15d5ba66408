import type { z } from 'zod'
import { bandwidthLimitSchema, requestLimitSchema } from '../../preload/contract/queue-settings'
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
export function createCliContext(options: GlobalOptions, serviceOverrides: RunOptions = {}): CliContext {
  const out = createOutput(options.json === true)
  checkedOption('--concurrency', requestLimitSchema, options.concurrency)
  checkedOption('--bandwidth', bandwidthLimitSchema, options.bandwidth)
  const services = createAppServices({
    dataDir: resolveDataDir(options.dataDir),
    host: 'web',
    settleMs: serviceOverrides.settleMs,
    // The web UI's folder picker stays under this folder (default: the user's home).
    browseRoot: process.env.OBS_SYNC_BROWSE_ROOT || undefined,
    concurrency: options.concurrency,
    bandwidthBytesPerSecond: options.bandwidth === undefined ? undefined : options.bandwidth * 1024,
    log: (message, error) => {
      if (!options.json)
        process.stderr.write(`${message}${error instanceof Error ? `: ${error.message}` : ''}\n`)
    },
  })
  return { client: services.client, services, out }
}

/**
 * A command-line value checked by the contract's own rule before anything starts (before the data folder is
 * taken): a wrong one is a usage error (exit code 2) that names the option, never read as "no limit".
 */
export function checkedOption(option: string, schema: z.ZodType<number>, value: number | undefined): void {
  if (value === undefined) return
  if (Number.isNaN(value)) throw usageError(`${option} takes a whole number`)
  const checked = schema.safeParse(value)
  if (!checked.success) throw usageError(`${option}: ${checked.error.issues[0]?.message}`)
}

/** A whole number as typed (NaN for anything else, refused by checkedOption with the option's name). */
export function wholeNumberArg(value: string): number {
  return /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN
}

/** What a command asks of `run` besides its action. */
export interface RunOptions {
  settleMs?: number
  /** Checks the command line before anything starts (throws a usageError). */
  check?: () => void
}

export type Run = (action: (ctx: CliContext) => Promise<number>, options?: RunOptions) => Promise<void>

/** A command line that cannot be right (exit code 2). */
export function usageError(message: string): Error {
  return new ContractError('INVALID_ARGUMENT', message)
}

/** The id of the account named by `--account` (name or id), or of the only account. */
export async function accountId(client: ContractClient, nameOrId: string | undefined): Promise<string> {
  return (await client.call('accounts:find', { nameOrId })).id
}
