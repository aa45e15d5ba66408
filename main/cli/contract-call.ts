import type { ChannelArgs, ChannelName, ChannelResult } from '../../preload/contract/channels'
import { AppError } from '../core/errors'
import type { AppServices } from '../services'

/**
 * Calls a contract channel in-process through the same dispatch (validation, result parsing) the GUI uses,
 * and turns a failure envelope back into an AppError for the CLI's one-line error and exit code.
 */
export async function callChannel<C extends ChannelName>(
  services: Pick<AppServices, 'dispatch'>,
  channel: C,
  ...args: ChannelArgs<C>
): Promise<ChannelResult<C>> {
  const answer = await services.dispatch(channel, args)
  if (!answer.ok) throw new AppError(answer.error.code, answer.error.message)
  return answer.value as ChannelResult<C>
}
