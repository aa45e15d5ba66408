import { channels, isChannelName } from '../../preload/contract/channels'
import { type Envelope, failure, success } from '../../preload/contract/envelope'
import { toIpcError } from '../core/errors'
import { argumentRule } from './argument-rule'
import type { Handlers } from './handlers'

export type Dispatch = (channel: unknown, args: unknown) => Promise<Envelope<unknown>>

/**
 * The single entry from a transport (ipcMain or the WebSocket) into the handlers: the channel must exist, the
 * arguments must match its schema, and the result is parsed through its schema on the way out, so a field
 * that is not in the contract (a secret, say) can never reach the renderer. Never throws.
 */
export function createDispatch(
  handlers: Handlers,
  onInternalError: (error: unknown) => void = () => {},
): Dispatch {
  return async (channel, args) => {
    if (!isChannelName(channel)) {
      return failure({ code: 'UNKNOWN_CHANNEL', message: `There is no channel "${String(channel)}".` })
    }
    const spec = channels[channel]
    const parsedArgs = spec.args.safeParse(args)
    if (!parsedArgs.success) {
      const issue = parsedArgs.error.issues[0]
      const where = issue?.path.length ? ` at argument ${issue.path.join('.')}` : ''
      const params = argumentRule(issue)
      return failure({
        code: 'INVALID_ARGUMENT',
        message: `Invalid arguments for ${channel}${where}: ${issue?.message ?? 'unexpected shape'}.`,
        ...(params ? { params } : {}),
      })
    }
    try {
      const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>
      const value = await handler(...(parsedArgs.data as unknown[]))
      return success(spec.result.parse(value))
    } catch (error) {
      const ipcError = toIpcError(error)
      if (ipcError.code === 'INTERNAL') onInternalError(error)
      return failure(ipcError)
    }
  }
}
