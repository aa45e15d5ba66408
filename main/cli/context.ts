import type { z } from 'zod'
import { MAX_BANDWIDTH_KIB_PER_SECOND, requestLimitSchema } from '../../preload/contract/queue-settings'
import { parseRate, type RateRefusal } from '../../preload/contract/rate-text'
import { type ContractClient, ContractError } from '../ipc/contract-client'
import { type AppServices, createAppServices, resolveDataDir } from '../services'
import { createOutput, type Output } from './output'

export interface GlobalOptions {
  dataDir?: string
  json?: boolean
  concurrency?: number
  /** As typed: checked and read by `checkedRate`. */
  bandwidth?: string
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
  // `--bandwidth none` lifts a saved limit for this run (0: no limit), as a number sets one.
  const bandwidth = checkedRate('--bandwidth', options.bandwidth)
  const services = createAppServices({
    dataDir: resolveDataDir(options.dataDir),
    host: 'web',
    settleMs: serviceOverrides.settleMs,
    // The web UI's folder picker stays under this folder (default: the user's home).
    browseRoot: process.env.OBS_SYNC_BROWSE_ROOT || undefined,
    concurrency: options.concurrency,
    bandwidthBytesPerSecond: bandwidth === undefined ? undefined : (bandwidth ?? 0) * 1024,
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

const RATE_REFUSALS: Record<RateRefusal, string> = {
  notARate: 'takes a rate in KiB/s such as 512, or with a unit such as 5M or "5 MB/s", or none',
  grouped: 'write the number without a thousands separator, e.g. 1000 or 1.5M',
  fraction: 'The bandwidth limit is a whole number of KiB/s, e.g. 512 (or 1.5M)',
  tooLow: 'The bandwidth limit is at least 1 KiB/s (none for no limit)',
  tooHigh: `The bandwidth limit is at most ${MAX_BANDWIDTH_KIB_PER_SECOND} KiB/s`,
}

/**
 * An upload limit on the command line, read as the Transfers view reads it (rate-text.ts): KiB/s, null for none,
 * undefined when the option was not given. A wrong one is a usage error naming the option.
 */
export function checkedRate(option: string, typed: string | undefined): number | null | undefined {
  if (typed === undefined) return undefined
  const rate = parseRate(typed)
  if (!rate.ok) {
    const reason = RATE_REFUSALS[rate.reason]
    throw usageError(rate.reason === 'notARate' ? `${option} ${reason}` : `${option}: ${reason}`)
  }
  return rate.kibPerSecond
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
