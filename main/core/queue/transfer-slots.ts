/**
 * How many uploads run at once: the one rule (issue 17, point 4), counted in requests in flight.
 *
 * - One overall limit, set by the user (`--concurrency`, default DEFAULT_REQUESTS): requests in flight over all
 *   uploads. A file below the multipart threshold is one request (one PUT); a multipart upload holds
 *   PARTS_PER_UPLOAD requests (its parts in flight).
 * - Small files (under SMALL_FILE) are latency-bound: as many at once as the limit allows (64 by default, see
 *   DEFAULT_REQUEST_LIMIT for why), which is what keeps a link with a long round trip busy; big files never take
 *   more than MULTIPART_UPLOADS x PARTS_PER_UPLOAD = 16 of them.
 * - Big files are bandwidth-bound and hold memory: at most MULTIPART_UPLOADS multipart uploads at once, and the
 *   files between SMALL_FILE and the threshold, read whole into memory for their one PUT, at most
 *   SINGLE_PUT_MEMORY bytes of them at once (always one).
 * - A bandwidth limit lowers the overall limit to one request per BANDWIDTH_PER_REQUEST of it (at least one):
 *   at 1 MiB/s four requests share it, rather than sixteen each crawling (and waiting for the limiter).
 * - It also lowers a multipart upload's parts in flight to one per BYTES_PER_PART_IN_FLIGHT of it (at least one,
 *   at most PARTS_PER_UPLOAD): parts in flight share the limit, so with fewer of them each ends sooner, and a
 *   pause (which keeps only the parts the server stored: S3 has no partial parts) drops little. At 2 MiB/s one
 *   part at a time (an 8 MiB part every ~4 s), 2 up to 8 MiB/s; above 12 MiB/s, or with no limit, 4. A slot is
 *   decided when its job starts: a limit changed mid-upload applies to the next multipart upload, not the running
 *   one (its slot's requests are counted as held until it ends).
 * - A job that waits for free requests is not overtaken by later ones (a big file is not starved by a stream of
 *   small ones); a job held back by its own kind's cap is (a small file may pass a fifth multipart upload).
 */

import { DEFAULT_REQUEST_LIMIT } from '../../../preload/contract/queue-settings'

const KiB = 1024
const MiB = 1024 * KiB

/** The contract's default: the user sees it in the Transfers view and `obs-sync settings`. */
export const DEFAULT_REQUESTS = DEFAULT_REQUEST_LIMIT
export const SMALL_FILE = 1 * MiB
export const PARTS_PER_UPLOAD = 4
export const MULTIPART_UPLOADS = 4
export const SINGLE_PUT_MEMORY = 64 * MiB
export const BANDWIDTH_PER_REQUEST = 256 * KiB
/**
 * Under a bandwidth limit, one part in flight per 4 MiB/s of it. The parts in flight share the limit piece by
 * piece and end together, and a pause drops every part not yet stored: 4 parts of 8 MiB under 2 MiB/s all ended
 * after ~16 s, so a pause at 4 s threw away 8 MiB of rationed bytes (48 MiB sent for a 40 MiB file, on RGW).
 * Several parts in flight only help when one request cannot carry the limit alone (a long round trip, a slow
 * server per request); one HTTPS stream carries 4 MiB/s easily (over 100 ms of round trip that is ~400 KiB in
 * flight, well within a TCP window), and the short gap between parts (the answer, reading and hashing the next
 * 8 MiB: tens of ms) is made up by the limiter's saved allowance. So each part gets at least ~4 MiB/s: an 8 MiB
 * part ends every ~2 s (every ~4 s at 2 MiB/s, one part at a time), and a pause drops at most ~2-4 s of sending.
 * Above 12 MiB/s: PARTS_PER_UPLOAD, as without a limit.
 */
export const BYTES_PER_PART_IN_FLIGHT = 4 * MiB

/** Connections kept for the browser's listings, details and the clash check while the uploads use their limit. */
const BROWSING_CONNECTIONS = 4

/**
 * How many connections an account's client may open: the user's request limit plus a few for browsing. The
 * pool must never be what limits the uploads (with a fixed pool of 16, `--concurrency 32` quietly ran 16).
 */
export function connectionPoolSize(requests: number = DEFAULT_REQUESTS): number {
  return Math.max(1, Math.floor(requests)) + BROWSING_CONNECTIONS
}

export interface SlotRuleOptions {
  /** The user's overall limit: requests in flight over all uploads. */
  requests?: number
  /** Files of at least this size go multipart. */
  multipartThreshold: number
  /** The bandwidth limit now, in bytes per second (0: none). */
  bandwidth?: () => number
}

/** What a running upload holds. */
export interface Slot {
  requests: number
  multipart: boolean
  /** Bytes held in memory for a single PUT of a file of SMALL_FILE or more (0 otherwise). */
  memory: number
}

/**
 * What the running uploads hold together. The scheduler keeps it as uploads start and end: rebuilding it from
 * every running slot at each look (several per finished file) was a visible share of a small upload's garbage.
 */
export interface SlotUsage {
  requests: number
  multipart: number
  memory: number
}

export function emptyUsage(): SlotUsage {
  return { requests: 0, multipart: 0, memory: 0 }
}

/** Counts `slot` in (`sign` 1, an upload starts) or out (-1, it ended). */
export function addToUsage(usage: SlotUsage, slot: Slot, sign: 1 | -1): void {
  usage.requests += sign * slot.requests
  usage.multipart += slot.multipart ? sign : 0
  usage.memory += sign * slot.memory
}

/** Why a job cannot start now: no free requests (it keeps its turn), or its kind's cap (later jobs may pass). */
export type Refusal = 'requests' | 'kind'

export function createSlotRule(options: SlotRuleOptions) {
  let userLimit = Math.max(1, options.requests ?? DEFAULT_REQUESTS)

  /** The overall limit now: the user's, lowered by a bandwidth limit. */
  function limit(): number {
    const bandwidth = options.bandwidth?.() ?? 0
    if (bandwidth <= 0) return userLimit
    return Math.max(1, Math.min(userLimit, Math.floor(bandwidth / BANDWIDTH_PER_REQUEST)))
  }

  /** A multipart upload's parts in flight now: PARTS_PER_UPLOAD, fewer under a bandwidth limit. */
  function partsInFlight(): number {
    const bandwidth = options.bandwidth?.() ?? 0
    if (bandwidth <= 0) return PARTS_PER_UPLOAD
    return Math.max(1, Math.min(PARTS_PER_UPLOAD, Math.ceil(bandwidth / BYTES_PER_PART_IN_FLIGHT)))
  }

  /** What an upload of `size` bytes holds while it runs (its parts in flight, for multipart). */
  function slotOf(size: number): Slot {
    if (size >= options.multipartThreshold)
      return { requests: Math.min(partsInFlight(), limit()), multipart: true, memory: 0 }
    return { requests: 1, multipart: false, memory: size >= SMALL_FILE ? size : 0 }
  }

  /** Whether an upload of `size` may start next to `running`; why not, if not. */
  function refusal(running: Iterable<Slot>, size: number): Refusal | undefined {
    const usage = emptyUsage()
    for (const r of running) addToUsage(usage, r, 1)
    return refusalFor(usage, size)
  }

  /** The same, from what the running uploads hold together (kept up to date by the scheduler). */
  function refusalFor(inUse: SlotUsage, size: number): Refusal | undefined {
    const slot = slotOf(size)
    if (inUse.requests + slot.requests > limit()) return 'requests'
    if (slot.multipart && inUse.multipart >= MULTIPART_UPLOADS) return 'kind'
    if (slot.memory > 0 && inUse.memory > 0 && inUse.memory + slot.memory > SINGLE_PUT_MEMORY) return 'kind'
    return undefined
  }

  /**
   * The user changed the limit while uploads run: jobs started from now on obey it, running ones keep what they
   * hold until they end (a lower limit starts nothing new until enough have ended).
   */
  function setUserLimit(requests: number): void {
    userLimit = Math.max(1, Math.floor(requests))
  }

  return { limit, slotOf, refusal, refusalFor, userLimit: () => userLimit, setUserLimit }
}

export type SlotRule = ReturnType<typeof createSlotRule>
