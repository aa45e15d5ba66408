import { computed, type Ref, ref, shallowRef } from 'vue'
import type { Badge } from '../../stores/badge-loader'
import type { Row } from '../../stores/browser'
import { applySelect, EMPTY_SELECTION, type Selection, type SelectMode, selectAll } from './selection'
import { matchesServerOrder, SERVER_ORDER, type SortColumn, type SortOrder, sortRows } from './sort-rows'

/** The sort order and the selection of the open folder's listing (part of the browser store). */
export function useListingOrder(listing: {
  visibleRows: Readonly<Ref<Row[]>>
  objectRows: Readonly<Ref<Row[]>>
  hasMore: Readonly<Ref<boolean>>
  badgeFor: (key: string) => Badge | undefined
}) {
  const sortOrder = ref<SortOrder>(SERVER_ORDER)
  /** Encryption as known when the user sorted by it: rows do not jump under the pointer as badges arrive. */
  let encryptionSnapshot = new Map<string, string>()
  const selection = shallowRef<Selection>(EMPTY_SELECTION)

  /**
   * The rows on screen in the chosen order; the listing's own order costs no sort. A new page is pushed into
   * the same array (triggerRef), so the computed reads the object rows itself and answers a new array each time:
   * a copy of 100,000 references costs well under a millisecond.
   */
  const sortedRows = computed<Row[]>(() => {
    void listing.objectRows.value
    if (matchesServerOrder(sortOrder.value)) return listing.visibleRows.value.slice()
    return sortRows(listing.visibleRows.value, sortOrder.value, (key) => encryptionSnapshot.get(key))
  })
  /** Sorted by something other than the server's order while more pages exist: the order is partial. */
  const sortIsPartial = computed(() => listing.hasMore.value && !matchesServerOrder(sortOrder.value))
  const selectedRows = computed<Row[]>(() => {
    const keys = selection.value.keys
    return keys.size === 0 ? [] : sortedRows.value.filter((row) => keys.has(row.key))
  })
  /** Objects whose encryption is known, when sorted by encryption (the rest sort last). */
  const encryptionKnown = ref(0)

  function encryptionLabels(): Map<string, string> {
    const labels = new Map<string, string>()
    for (const row of listing.objectRows.value) {
      const badge = listing.badgeFor(row.key)
      if (badge?.state !== 'known') continue
      const e = badge.encryption
      labels.set(row.key, e.mode === 'sse-kms' ? `sse-kms ${e.kmsKeyAlias ?? e.kmsKeyId ?? ''}` : e.mode)
    }
    return labels
  }

  function setSort(column: SortColumn): void {
    const current = sortOrder.value
    const direction = current.column === column && current.direction === 'asc' ? 'desc' : 'asc'
    if (column === 'encryption') {
      encryptionSnapshot = encryptionLabels()
      encryptionKnown.value = encryptionSnapshot.size
    }
    sortOrder.value = { column, direction }
  }

  return {
    sortOrder,
    sortedRows,
    sortIsPartial,
    encryptionKnown,
    setSort,
    selection,
    selectedRows,
    selectRow(index: number, mode: SelectMode): void {
      selection.value = applySelect(selection.value, sortedRows.value, index, mode)
    },
    selectAllRows(): void {
      selection.value = selectAll(sortedRows.value)
    },
    clearSelection(): void {
      selection.value = EMPTY_SELECTION
    },
  }
}
