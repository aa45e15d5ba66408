import { z } from 'zod'
import { accountSchema } from './models'

/** Events main pushes to the renderer, by name -> payload schema. Producers throttle at the source. */
export const events = {
  'accounts:changed': z.array(accountSchema),
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}
