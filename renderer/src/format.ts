import { currentLocale, t } from './i18n'

/**
 * Every number, size, duration and date the views show is formatted here, with Intl in the window's current
 * language (digit grouping, decimal separator, date order, unit words). Pure functions of their input and that
 * locale; an explicit locale may be passed (tests, the status bar of another window).
 */

// Size symbols are the same in the three catalogues' languages (Huawei Cloud's Chinese console and OTC's German
// one write KB/MB/GB too); only the number around them follows the locale. Sizes are binary (1 KB = 1024 B), as
// the consoles count them.
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']

export function formatNumber(value: number, locale: string = currentLocale()): string {
  return new Intl.NumberFormat(locale).format(value)
}

export function formatBytes(bytes: number, locale: string = currentLocale()): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  const number = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
  return `${number.format(value)} ${UNITS[unit]}`
}

export function formatRate(bytesPerSecond: number, locale: string = currentLocale()): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond, locale)}/s` : '—'
}

function unit(value: number, name: 'second' | 'minute' | 'hour', locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value)
}

/** 75 -> "1 min 15 sec" / "1分钟15秒" / "1 Min., 15 Sek."; 4000 -> "1 hr 6 min". */
export function formatDuration(seconds: number | undefined, locale: string = currentLocale()): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  const list = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' })
  if (s < 60) return unit(s, 'second', locale)
  const minutes = Math.floor(s / 60)
  if (minutes < 60) {
    return s % 60
      ? list.format([unit(minutes, 'minute', locale), unit(s % 60, 'second', locale)])
      : unit(minutes, 'minute', locale)
  }
  const hours = Math.floor(minutes / 60)
  return minutes % 60
    ? list.format([unit(hours, 'hour', locale), unit(minutes % 60, 'minute', locale)])
    : unit(hours, 'hour', locale)
}

export function formatDate(iso: string | undefined, locale: string = currentLocale()): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
}

export function formatTime(iso: string, locale: string = currentLocale()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** "3 minutes ago" / "3分钟前" / "vor 3 Minuten", for last activity; a full date after a day. */
export function formatAgo(
  iso: string | undefined,
  now: number = Date.now(),
  locale: string = currentLocale(),
): string {
  if (!iso) return t('format.never')
  const then = new Date(iso).getTime()
  if (Number.isNaN(then)) return iso
  const seconds = Math.max(0, Math.round((now - then) / 1000))
  if (seconds < 45) return t('format.justNow')
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return relative.format(-minutes, 'minute')
  const hours = Math.round(minutes / 60)
  if (hours < 24) return relative.format(-hours, 'hour')
  return formatDate(iso, locale)
}

export function percent(done: number, total: number): number {
  if (total <= 0) return done > 0 ? 100 : 0
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)))
}

/** The last segment of a key or prefix: "a/b/c.txt" -> "c.txt", "a/b/" -> "b". */
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

/**
 * A count with its noun, from the catalogue's plural forms ("1 file | {n} files"; `n` is the count formatted for
 * the locale, the raw number picks the plural form).
 */
export function countOf(key: string, count: number, params: Record<string, unknown> = {}): string {
  return t(key, { ...params, n: formatNumber(count) }, count)
}
