import { computed, ref, watch } from 'vue'
import { useCommittedField } from '../../composables/use-committed-field'
import { formatRate } from '../../format'
import { t } from '../../i18n'
import { useTransfersStore } from '../../stores/transfers'

const KIB_PER: Record<string, number> = { k: 1, m: 1024, g: 1024 * 1024 }

/**
 * What the field shows for a limit in KiB/s: "5 MB/s" when it is whole MB/s, else "1536 KB/s"; empty for none.
 * Sizes are binary and written KB/MB, as everywhere in the app (a limit of 5 MB/s shows a rate of "5.0 MB/s"),
 * without digit grouping so that the text typed back means the same.
 */
export function shownLimit(kibPerSecond: number | null | undefined): string {
  if (kibPerSecond == null) return ''
  return kibPerSecond % 1024 === 0 ? `${kibPerSecond / 1024} MB/s` : `${kibPerSecond} KB/s`
}

/**
 * KiB/s of what is typed: "5 MB/s", "5M", "1.5 mb", "512 KB/s", "512" (KB/s, the CLI's unit), "1,5 MB/s" (a
 * decimal comma); null for an empty field (no limit); NaN for anything else (refused at the field).
 * Fractions of a KB/s are sent as typed, for the queue to refuse; MB/s and GB/s are rounded to whole KB/s.
 */
export function typedLimit(text: string): number | null {
  const typed = text.trim().toLowerCase()
  if (typed === '') return null
  const match = /^([+-]?\d+(?:[.,]\d+)?)\s*(?:([kmg])(?:i?b)?(?:\/s)?)?$/.exec(typed)
  if (!match) return Number.NaN
  const value = Number(match[1]!.replace(',', '.'))
  const unit = KIB_PER[match[2] ?? 'k']!
  return unit === 1 ? value : Math.round(value * unit)
}

/**
 * The upload rate limit's field: one text, like rclone's --bwlimit (a number and its unit, e.g. "5 MB/s"), empty
 * for none. A unit picked in a list next to the number would be a trap: leaving the number to pick it commits the
 * number in the old unit. Sent when committed (use-committed-field.ts); a refusal says why at the field, which shows
 * the limit in force again after each send and whenever it changed elsewhere.
 */
export function useBandwidthField() {
  const transfers = useTransfersStore()
  const inForceNow = () => transfers.bandwidthLimit?.kibPerSecond ?? null
  const text = ref(shownLimit(inForceNow()))
  watch(inForceNow, (kib) => {
    text.value = shownLimit(kib)
  })

  const field = useCommittedField({
    inForce: (typed) => typedLimit(typed) === inForceNow(),
    send: async (typed) => {
      const kib = typedLimit(typed)
      // What is no rate at all ("fast", "10 Mbit") is answered here, in the field's own terms; numbers, also
      // out of range, go to the queue, whose rule is the one that holds.
      if (Number.isNaN(kib)) transfers.bandwidthLimitRefusal = { message: t('transfers.bandwidthNotARate') }
      else await transfers.setBandwidthLimit(kib)
    },
    clearRefusal: transfers.clearBandwidthLimitRefusal,
  })

  return {
    text,
    /** The user typed: `typed` is the field's text now. */
    edited(typed: string): void {
      text.value = typed
      field.edited(typed)
    },
    async commit(): Promise<void> {
      if (await field.commit(text.value)) text.value = shownLimit(inForceNow())
    },
    /** This run's --bandwidth, while it is the limit in force: what it is and what is saved. */
    fromCommandLine: computed(() => {
      const limit = transfers.bandwidthLimit
      if (!limit?.fromCommandLine || limit.kibPerSecond === null) return undefined
      return {
        n: formatRate(limit.kibPerSecond * 1024),
        saved: limit.saved === null ? undefined : formatRate(limit.saved * 1024),
      }
    }),
  }
}
