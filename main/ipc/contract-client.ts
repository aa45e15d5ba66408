import type { ChannelArgs, ChannelName, ChannelResult } from '../../preload/contract/channels'
import type { EventName, EventPayload } from '../../preload/contract/events'
import { AppError, toIpcError } from '../core/errors'
import type { Dispatch } from './dispatch'

/**
 * A failed call, with the contract's error code; shells also throw it for their own usage errors. (The core's
 * error type: an error is one thing wherever it is raised.)
 */
export { AppError as ContractError }

/** What may be shown of any error: its code and sentence (an unexpected one becomes INTERNAL, without details). */
export const describeError = toIpcError

export interface ContractClient {
  call<C extends ChannelName>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export type Subscribe = <E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
) => () => void

/**
 * The contract as an in-process shell (the CLI) sees it: every call goes through the same `dispatch` as the
 * Electron and web shells (channel check, argument schema, result schema, error envelope), and a failed
 * envelope is thrown back as a ContractError with its code.
 */
export function createInProcessClient(dispatch: Dispatch, subscribe: Subscribe): ContractClient {
  return {
    async call(channel, ...args) {
      const answer = await dispatch(channel, args)
      if (!answer.ok)
        throw new AppError(answer.error.code, answer.error.message, { params: answer.error.params })
      return answer.value as never
    },
    on: subscribe,
  }
}
