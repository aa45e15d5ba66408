import { resolveDataDir } from '../core/data-dir'
import { AppError } from '../core/errors'
import { type AppServices, createAppServices } from '../services'
import { createOutput, type Output } from './output'

export interface GlobalOptions {
  dataDir?: string
  json?: boolean
  concurrency?: number
  bandwidth?: number
}

export interface CliContext {
  services: AppServices
  out: Output
}

/** Builds the services for one CLI command (the CLI's composition root hands this to each command). */
export function createCliContext(
  options: GlobalOptions,
  serviceOverrides: { settleMs?: number } = {},
): CliContext {
  const dataDir = resolveDataDir(options.dataDir)
  const out = createOutput(options.json === true)
  const services = createAppServices({
    dataDir,
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
  return { services, out }
}

/** Finds an account by name or id; with a single account configured, that one is the default. */
export async function accountId(services: AppServices, nameOrId: string | undefined): Promise<string> {
  const accounts = await services.accounts.list()
  if (nameOrId) {
    const found = accounts.find((a) => a.name === nameOrId || a.id === nameOrId)
    if (!found)
      throw new AppError(
        'ACCOUNT_NOT_FOUND',
        `There is no account "${nameOrId}". See \`obs-sync account list\`.`,
      )
    return found.id
  }
  if (accounts.length === 1 && accounts[0]) return accounts[0].id
  throw new AppError(
    'INVALID_ARGUMENT',
    accounts.length === 0
      ? 'No account yet: add one with `obs-sync account add`.'
      : 'Several accounts exist: choose one with --account <name>.',
  )
}
