import { MAX_BANDWIDTH_KIB_PER_SECOND } from './queue-settings'

/** Why a typed rate was refused; each shell words it (the Transfers view in the user's language, the CLI in English). */
export type RateRefusal = 'notARate' | 'grouped' | 'fraction' | 'tooLow' | 'tooHigh'

export type ParsedRate = { ok: true; kibPerSecond: number | null } | { ok: false; reason: RateRefusal }

const KIB_PER_UNIT: Record<string, number> = { k: 1, m: 1024, g: 1024 * 1024 }
/** Words for "no limit" in every shell; the view adds its own language's word (its placeholder). */
export const NO_LIMIT_WORDS = ['none', 'off', 'unlimited']

// A number ("5", "1.5", "1,5", ".5"), then an optional unit: K, M or G, with or without "B"/"iB" and "/s"
// ("5M", "5 MB/s", "512 kib"). Bits ("Mbit", "Mbps") are not a unit here: refused rather than read as bytes.
const RATE = /^\+?(\d+(?:[.,]\d*)?|[.,]\d+)\s*(?:([kmg])(?:i?b)?(?:\/s)?)?$/
// "1,000" or "2.500": a thousands separator in one language, a decimal one in another. Refused, not guessed.
const GROUPED = /^[1-9]\d{0,2}[.,]\d{3}$/

/**
 * An upload limit as people type it, in the field and on the command line alike (like rclone's --bwlimit): "5 MB/s",
 * "5M", "1,5 MB/s", "512 KB/s", "512" (KiB/s, the CLI's unit), full-width digits; one of NO_LIMIT_WORDS (or
 * `noneWords`) for no limit. Sizes are binary: 1 MB/s = 1024 KiB/s. MB/s and GB/s are rounded to whole KiB/s;
 * a fraction of a KiB/s, a grouped number, and anything out of the contract's range are refused with a reason.
 * The contract's own schema still checks what is sent.
 */
export function parseRate(text: string, noneWords: readonly string[] = []): ParsedRate {
  const typed = text.normalize('NFKC').trim().toLowerCase()
  if ([...NO_LIMIT_WORDS, ...noneWords.map((w) => w.toLowerCase())].includes(typed))
    return { ok: true, kibPerSecond: null }
  if (typed.startsWith('-')) return { ok: false, reason: 'tooLow' }
  const match = RATE.exec(typed)
  if (!match) return { ok: false, reason: 'notARate' }
  const number = match[1]!
  if (GROUPED.test(number)) return { ok: false, reason: 'grouped' }
  const value = Number(number.replace(',', '.'))
  const perUnit = KIB_PER_UNIT[match[2] ?? 'k']!
  if (perUnit === 1 && !Number.isInteger(value)) return { ok: false, reason: 'fraction' }
  const kibPerSecond = Math.round(value * perUnit)
  if (kibPerSecond < 1) return { ok: false, reason: 'tooLow' }
  if (kibPerSecond > MAX_BANDWIDTH_KIB_PER_SECOND) return { ok: false, reason: 'tooHigh' }
  return { ok: true, kibPerSecond }
}

/** A limit in KiB/s as the shells write it back: whole GB/s or MB/s when it is one, else KB/s. */
export function rateText(kibPerSecond: number): string {
  if (kibPerSecond % KIB_PER_UNIT.g! === 0) return `${kibPerSecond / KIB_PER_UNIT.g!} GB/s`
  if (kibPerSecond % KIB_PER_UNIT.m! === 0) return `${kibPerSecond / KIB_PER_UNIT.m!} MB/s`
  return `${kibPerSecond} KB/s`
}
