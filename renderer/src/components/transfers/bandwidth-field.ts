import { computed, ref, watch } from 'vue'
import { MAX_BANDWIDTH_KIB_PER_SECOND } from '../../../../preload/contract/queue-settings'
import { parseRate, type RateRefusal, rateText } from '../../../../preload/contract/rate-text'
import { useCommittedField } from '../../composables/use-committed-field'
import { formatRate } from '../../format'
import { t } from '../../i18n'
import { useTransfersStore } from '../../stores/transfers'

/** What the field shows for a limit in KiB/s (rate-text.ts: "5 MB/s", "1536 KB/s"); empty for none. */
export function shownLimit(kibPerSecond: number | null | undefined): string {
  return kibPerSecond == null ? '' : rateText(kibPerSecond)
}

/** Each refusal in the field's own terms, with the unit (the contract's schema words it in KiB/s for raw clients). */
function refusalText(reason: RateRefusal): string {
  if (reason === 'tooHigh')
    return t('transfers.bandwidthTooHigh', { max: formatRate(MAX_BANDWIDTH_KIB_PER_SECOND * 1024) })
  const keys: Record<Exclude<RateRefusal, 'tooHigh'>, string> = {
    notARate: 'transfers.bandwidthNotARate',
    grouped: 'transfers.bandwidthGrouped',
    fraction: 'transfers.bandwidthFraction',
    tooLow: 'transfers.bandwidthTooLow',
  }
  return t(keys[reason])
}

/**
 * The upload rate limit's field: one text, like rclone's --bwlimit ("5 MB/s", "5M", "512 KB/s", the placeholder's
 * word for none; parsed by the contract's rate-text.ts, as the CLI parses it), empty for none. A unit picked in a
 * list next to the number would be a trap: leaving the number to pick it commits the number in the old unit.
 * - Committed on Enter, change or leaving the field (use-committed-field.ts); Escape gives the edit up.
 * - A refused text stays in the field, marked and explained, until it is edited or given up: put back to the limit
 *   in force at once, the refusal read as if that limit were refused.
 * - A limit changed elsewhere (another window, `obs-sync settings`) is shown at once, unless the user is typing.
 */
export function useBandwidthField() {
  const transfers = useTransfersStore()
  const inForceNow = () => transfers.bandwidthLimit?.kibPerSecond ?? null
  const text = ref(shownLimit(inForceNow()))
  const parsed = (typed: string) =>
    typed.trim() === ''
      ? ({ ok: true, kibPerSecond: null } as const)
      : parseRate(typed, [t('transfers.bandwidthNone')])

  const field = useCommittedField({
    inForce: (typed) => {
      const rate = parsed(typed)
      return rate.ok && rate.kibPerSecond === inForceNow()
    },
    send: async (typed) => {
      const rate = parsed(typed)
      if (!rate.ok) transfers.bandwidthLimitRefusal = { message: refusalText(rate.reason) }
      else await transfers.setBandwidthLimit(rate.kibPerSecond)
    },
    clearRefusal: transfers.clearBandwidthLimitRefusal,
  })

  function showInForce(): void {
    text.value = shownLimit(inForceNow())
  }
  watch(inForceNow, () => {
    if (field.editing()) return
    showInForce()
    transfers.clearBandwidthLimitRefusal()
  })

  return {
    text,
    /** The user typed: `typed` is the field's text now. */
    edited(typed: string): void {
      text.value = typed
      field.edited(typed)
    },
    async commit(): Promise<void> {
      if ((await field.commit(text.value)) && !transfers.bandwidthLimitRefusal) showInForce()
    },
    /** Escape: the typed text is dropped for the limit in force, and its refusal with it. */
    abandon(): void {
      field.abandon()
      showInForce()
    },
    /** This run's --bandwidth, while it is the limit in force: what it is and what is saved. */
    fromCommandLine: computed(() => {
      const limit = transfers.bandwidthLimit
      if (!limit?.fromCommandLine) return undefined
      return {
        n: limit.kibPerSecond === null ? undefined : formatRate(limit.kibPerSecond * 1024),
        saved: limit.saved === null ? undefined : formatRate(limit.saved * 1024),
      }
    }),
  }
}
