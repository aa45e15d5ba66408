import { watch } from 'vue'
import { useBrowserStore } from '../../stores/browser'
import { useTransfersStore } from '../../stores/transfers'

const SMALL_LISTING = 5000
const SETTLE_MS = 800

/**
 * Lists the open folder again when uploads into it finish, so that new objects appear on their own. Only for
 * listings that are complete and small: re-listing 100,000 objects for one new file would cost more than the
 * Refresh button it saves.
 */
export function useRefreshAfterUploads(): void {
  const browser = useBrowserStore()
  const transfers = useTransfersStore()
  let timer: ReturnType<typeof setTimeout> | undefined

  // The store holds a window of the queue, not every job: each upload that finishes is told as the last one.
  watch(
    () => transfers.lastDone,
    (job) => {
      const { accountId, bucket, prefix } = browser
      if (!job || job.accountId !== accountId || job.bucket !== bucket || !job.key.startsWith(prefix)) return
      if (browser.hasMore || browser.rows.length > SMALL_LISTING) return
      clearTimeout(timer)
      timer = setTimeout(() => void browser.refresh(), SETTLE_MS)
    },
  )
}
