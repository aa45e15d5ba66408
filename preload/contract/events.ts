import { z } from 'zod'
import type { EVENT_NAMES } from './bridge'
import { deleteProgressSchema } from './browser-models'
import { downloadBatchSchema, downloadProgressSchema } from './download-models'
import { LOCALE_PREFERENCES } from './i18n/locales'
import { accountSchema } from './models'
import { jobSchema, progressEventSchema, statusSummarySchema } from './queue-models'
import { JOB_EVENT_MAX_JOBS, jobCountsSchema, REMOVED_CHUNK } from './queue-page'
import { queueSettingsEventSchema } from './queue-settings'
import { ACTIVITY_EVENT_MAX_LINES, activitySchema, syncPairStatusSchema } from './sync-models'

/** Events main pushes to the renderer, by name -> payload schema. Producers throttle at the source. */
export const events = {
  'accounts:changed': z.array(accountSchema),
  /**
   * Jobs added or changed (not sent for mere progress), gathered over JOB_EVENT_WINDOW_MS: each job once, as it is
   * now; at most JOB_EVENT_MAX_JOBS and JOB_EVENT_MAX_BYTES of them an event.
   */
  'queue:jobs': z.array(jobSchema).min(1).max(JOB_EVENT_MAX_JOBS),
  /** Jobs removed from the queue (cleared, pruned), in chunks of at most REMOVED_CHUNK ids. */
  'queue:removed': z.array(z.number().int()).max(REMOVED_CHUNK),
  /** Jobs per state, when they changed (at most ~10 a second). */
  'queue:counts': jobCountsSchema,
  'queue:progress': z.array(progressEventSchema),
  /** The request limit or how long finished uploads stay changed (here, or saved by another process). */
  'queue:settings': queueSettingsEventSchema,
  'status:changed': statusSummarySchema,
  'sync:status': syncPairStatusSchema,
  /** New activity lines, oldest first, gathered over ACTIVITY_EVENT_WINDOW_MS (every line, none merged). */
  activity: z.array(activitySchema).min(1).max(ACTIVITY_EVENT_MAX_LINES),
  /** A download batch was added or changed state (not sent for mere progress). */
  'downloads:batch': downloadBatchSchema,
  'downloads:progress': z.array(downloadProgressSchema),
  'storage:delete-progress': deleteProgressSchema,
  /** The user chose another language (in any window): every window, the menu and the tray follow. */
  'settings:locale': z.enum(LOCALE_PREFERENCES),
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

type Mismatch =
  | Exclude<EventName, (typeof EVENT_NAMES)[number]>
  | Exclude<(typeof EVENT_NAMES)[number], EventName>
/** Fails to compile when EVENT_NAMES (bridge.ts) and the schemas above name different events. */
export const EVENT_NAMES_MATCH: [Mismatch] extends [never] ? true : never = true
