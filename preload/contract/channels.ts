import { z } from 'zod'
import {
  accountInputSchema,
  accountSchema,
  appInfoSchema,
  connectionTestSchema,
  providerPresetSchema,
} from './models'

/**
 * The one list of request channels: name -> schema of the arguments (validated in main, the renderer is
 * untrusted) -> schema of the result. Add a channel here and TypeScript asks for its handler in main.
 */
function channel<A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) {
  return { args, result }
}

const accountId = z.string().min(1).max(200)

export const channels = {
  'app:info': channel(z.tuple([]), appInfoSchema),
  'accounts:list': channel(z.tuple([]), z.array(accountSchema)),
  'accounts:presets': channel(z.tuple([]), z.array(providerPresetSchema)),
  'accounts:add': channel(z.tuple([accountInputSchema]), accountSchema),
  'accounts:update': channel(z.tuple([accountId, accountInputSchema]), accountSchema),
  'accounts:remove': channel(z.tuple([accountId]), z.null()),
  'accounts:test': channel(z.tuple([accountId]), connectionTestSchema),
} as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelArgs<C extends ChannelName> = z.input<Channels[C]['args']>
export type ChannelResult<C extends ChannelName> = z.output<Channels[C]['result']>

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name)
}
