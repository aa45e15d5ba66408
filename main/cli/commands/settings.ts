import type { Command } from 'commander'
import { keepDoneDaysSchema, type UploadHistory } from '../../../preload/contract/queue-page'
import {
  type BandwidthLimitState,
  DEFAULT_REQUEST_LIMIT,
  MAX_REQUEST_LIMIT,
  MIN_REQUEST_LIMIT,
  type RequestLimitState,
  requestLimitSchema,
} from '../../../preload/contract/queue-settings'
import { type CliContext, checkedOption, checkedRate, wholeNumberArg } from '../context'

function lines(limit: RequestLimitState, bandwidth: BandwidthLimitState, history: UploadHistory): string {
  const requests = `${limit.saved} request${limit.saved === 1 ? '' : 's'}`
  const rate = bandwidth.saved === null ? 'none' : `${bandwidth.saved} KiB/s over all uploads`
  const days = `${history.keepDoneDays} day${history.keepDoneDays === 1 ? '' : 's'}`
  return [
    `Request limit: ${requests} at a time over all uploads (saved in this data folder)`,
    `Upload limit: ${rate}`,
    `Keep finished uploads: ${days}`,
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
      'show or save the queue settings of this data folder (request limit, upload limit, how long finished uploads stay)',
    )
    .option(
      '--request-limit <n>',
      `requests in flight at once over all uploads (${MIN_REQUEST_LIMIT}-${MAX_REQUEST_LIMIT}; default ${DEFAULT_REQUEST_LIMIT})`,
      wholeNumberArg,
    )
    .option(
      '--bandwidth-limit <rate|none>',
      'the most all uploads send together per second: KiB/s, or with a unit (5M, "5 MB/s"), or none (default: none; --bandwidth sets one run\'s)',
    )
    .option(
      '--keep-done-days <n>',
      'days finished uploads stay in the list (1-3650; default 7)',
      wholeNumberArg,
    )
    .action((options: { requestLimit?: number; bandwidthLimit?: string; keepDoneDays?: number }) =>
      run(async ({ client, out }) => {
        checkedOption('--request-limit', requestLimitSchema, options.requestLimit)
        const rate = checkedRate('--bandwidth-limit', options.bandwidthLimit)
        checkedOption('--keep-done-days', keepDoneDaysSchema, options.keepDoneDays)
        if (options.requestLimit !== undefined)
          await client.call('queue:set-request-limit', options.requestLimit)
        if (rate !== undefined) await client.call('queue:set-bandwidth-limit', rate)
        if (options.keepDoneDays !== undefined)
          await client.call('queue:set-keep-done-days', options.keepDoneDays)
        const limit = await client.call('queue:request-limit')
        const bandwidth = await client.call('queue:bandwidth-limit')
        const history = await client.call('queue:history')
        out.result(
          {
            requestLimit: limit.saved,
            bandwidthLimitKiBPerSecond: bandwidth.saved,
            keepDoneDays: history.keepDoneDays,
          },
          lines(limit, bandwidth, history),
        )
        return 0
      }),
    )
}
