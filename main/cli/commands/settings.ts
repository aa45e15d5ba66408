import type { Command } from 'commander'
import type { z } from 'zod'
import { keepDoneDaysSchema, type UploadHistory } from '../../../preload/contract/queue-page'
import {
  DEFAULT_REQUEST_LIMIT,
  MAX_REQUEST_LIMIT,
  MIN_REQUEST_LIMIT,
  type RequestLimitState,
  requestLimitSchema,
} from '../../../preload/contract/queue-settings'
import type { CliContext } from '../context'
import { usageError } from '../context'

/** A whole number as typed (NaN for anything else, refused below with the option's name). */
function numberArg(value: string): number {
  return /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN
}

/**
 * Checks an option with its channel's own schema before anything is saved, so that one wrong value of two changes
 * nothing (the channel checks again; this only orders the checks).
 */
function checked(option: string, value: number | undefined, schema: z.ZodType<number>): void {
  if (value === undefined) return
  if (Number.isNaN(value)) throw usageError(`${option} takes a whole number`)
  const result = schema.safeParse(value)
  if (!result.success) throw usageError(`${option}: ${result.error.issues[0]?.message}`)
}

function lines(limit: RequestLimitState, history: UploadHistory): string {
  return [
    `Request limit: ${limit.saved} requests at a time over all uploads (saved in this data folder)`,
    `Keep finished uploads: ${history.keepDoneDays} day(s)`,
  ].join('\n')
}

/**
 * `obs-sync settings`: shows and saves the data folder's queue settings through the contract (the same channels and
 * checks as the Transfers view). A desktop app or `serve` already running on the folder applies them within about a
 * second (settings-watch.ts) and its open Transfers views show them.
 */
export function registerSettingsCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('settings')
    .description(
      'show or save the queue settings of this data folder (request limit, how long finished uploads stay)',
    )
    .option(
      '--request-limit <n>',
      `requests in flight at once over all uploads (${MIN_REQUEST_LIMIT}-${MAX_REQUEST_LIMIT}; default ${DEFAULT_REQUEST_LIMIT})`,
      numberArg,
    )
    .option('--keep-done-days <n>', 'days finished uploads stay in the list (1-3650; default 7)', numberArg)
    .action((options: { requestLimit?: number; keepDoneDays?: number }) =>
      run(async ({ client, out }) => {
        checked('--request-limit', options.requestLimit, requestLimitSchema)
        checked('--keep-done-days', options.keepDoneDays, keepDoneDaysSchema)
        if (options.requestLimit !== undefined)
          await client.call('queue:set-request-limit', options.requestLimit)
        if (options.keepDoneDays !== undefined)
          await client.call('queue:set-keep-done-days', options.keepDoneDays)
        const limit = await client.call('queue:request-limit')
        const history = await client.call('queue:history')
        out.result({ requestLimit: limit.saved, keepDoneDays: history.keepDoneDays }, lines(limit, history))
        return 0
      }),
    )
}
