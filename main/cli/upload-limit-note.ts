import type { ContractClient } from '../ipc/contract-client'
import type { Output } from './output'

/**
 * A saved upload limit (the Transfers view's, or `obs-sync settings --bandwidth-limit`) slows every upload of the
 * data folder, this command's too: said once as the command starts, with how to change it, so a slow run is not a
 * mystery. Not said when this run's `--bandwidth` set the limit: the user just typed it.
 */
export async function noteUploadLimit(client: ContractClient, out: Output): Promise<void> {
  const limit = await client.call('queue:bandwidth-limit')
  if (limit.kibPerSecond === null || limit.fromCommandLine) return
  out.info(
    `Upload limit: ${limit.kibPerSecond} KiB/s (saved in this data folder; \`obs-sync settings --bandwidth-limit none\` removes it, \`--bandwidth none\` lifts it for one run)`,
  )
}
