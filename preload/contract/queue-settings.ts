import { z } from 'zod'

/**
 * The request limit: how many requests the upload queue keeps in flight at once over all uploads (small files
 * one each, a multipart upload its parts; main/core/queue/transfer-slots.ts has the rule). The user sets it in the
 * Transfers view, with `obs-sync settings --request-limit N`, or for one run with `--concurrency N`.
 */
/**
 * 64: small files are latency-bound. At 40 ms of round trip one request moves ~25 small files a second, so 32 in
 * flight still left the link waiting: 2,000 files of 16 KiB through a 40 ms link took 0.62-0.66x rclone's time
 * (`--transfers 16`) at 32 and 0.51-0.57x at 64 (README, bench:queue). On loopback, where this client and RGW share
 * 2 cores, 32 and 64 differed by less than the machine's drift (either won an A/B); a link to an OBS region is
 * never loopback.
 * Big files never take more than 16 of them (4 multipart uploads of 4 parts), and 64 small PUTs (under 1 MiB each)
 * hold at most 64 MiB: sized for a desktop.
 */
export const DEFAULT_REQUEST_LIMIT = 64
export const MIN_REQUEST_LIMIT = 1
/**
 * Room above the default for a link with a much longer round trip (another continent: 150-250 ms); above this a
 * desktop gains nothing and a server sees a flood of connections from one user.
 */
export const MAX_REQUEST_LIMIT = 128

// The range is checked before wholeness in these schemas: the first refusal is the one shown, and zod refuses a
// number past 2^53 as not whole ("100000000000000000000" was told to be a whole number, not at most 128).
export const requestLimitSchema = z
  .number({ message: 'The request limit is a number of requests, e.g. 16' })
  .min(MIN_REQUEST_LIMIT, `The request limit is at least ${MIN_REQUEST_LIMIT} request at a time`)
  .max(MAX_REQUEST_LIMIT, `The request limit is at most ${MAX_REQUEST_LIMIT} requests at a time`)
  .int('The request limit is a whole number of requests, e.g. 16')

/** Faster than any desktop link: a larger figure is a typo, not a limit. */
export const MAX_BANDWIDTH_KIB_PER_SECOND = 10_000_000

/**
 * The upload rate limit, in KiB/s, over all uploads at once: saved in the data folder (set in the Transfers view or
 * with `obs-sync settings --bandwidth-limit N`) or for one run with `obs-sync --bandwidth N`. No limit is no value
 * (null when saved), never 0 or NaN.
 */
export const bandwidthLimitSchema = z
  .number({ message: 'The bandwidth limit is a number of KiB/s, e.g. 512' })
  .min(1, 'The bandwidth limit is at least 1 KiB/s (none for no limit)')
  .max(MAX_BANDWIDTH_KIB_PER_SECOND, `The bandwidth limit is at most ${MAX_BANDWIDTH_KIB_PER_SECOND} KiB/s`)
  .int('The bandwidth limit is a whole number of KiB/s, e.g. 512')

export const requestLimitStateSchema = z.object({
  /** Requests in flight at once that new uploads obey now. */
  requests: requestLimitSchema,
  /** The user's saved setting (the data folder's queue settings), used at every start without `--concurrency`. */
  saved: requestLimitSchema,
  /** This run started with `--concurrency` and the limit was not changed since: `requests` is the flag's. */
  fromCommandLine: z.boolean(),
})
export type RequestLimitState = z.infer<typeof requestLimitStateSchema>

export const bandwidthLimitStateSchema = z.object({
  /** The limit uploads obey now, in KiB/s; null: none. */
  kibPerSecond: bandwidthLimitSchema.nullable(),
  /** The user's saved setting, used at every start without `--bandwidth`; null: none. */
  saved: bandwidthLimitSchema.nullable(),
  /** This run started with `--bandwidth` and the limit was not changed since: `kibPerSecond` is the flag's. */
  fromCommandLine: z.boolean(),
})
export type BandwidthLimitState = z.infer<typeof bandwidthLimitStateSchema>

/**
 * The queue's settings as they are now, pushed as `queue:settings` whenever one changes: in this process (a window,
 * the web UI) or saved by another on the same data folder (`obs-sync settings` while `serve` or the desktop app
 * runs), so every open Transfers view shows what the running queue obeys.
 */
export const queueSettingsEventSchema = z.object({
  requestLimit: requestLimitStateSchema,
  bandwidthLimit: bandwidthLimitStateSchema,
  /** Done jobs older than this many days leave the queue for the history. */
  keepDoneDays: z.number().int().positive(),
})
export type QueueSettingsEvent = z.infer<typeof queueSettingsEventSchema>
