import { z } from 'zod'
import { accountSchema, appInfoSchema } from './models'

/**
 * The one list of request channels: name -> schema of the arguments (validated in main, the renderer is
 * untrusted) -> schema of the result. Add a channel here and TypeScript asks for its handler in main.
 */
function channel<A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) {
  return { args, result }
}

export const channels = {
  'app:info': channel(z.tuple([]), appInfoSchema),
  'accounts:list': channel(z.tuple([]), z.array(accountSchema)),
} as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelArgs<C extends ChannelName> = z.input<Channels[C]['args']>
export type ChannelResult<C extends ChannelName> = z.output<Channels[C]['result']>

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name)
}
