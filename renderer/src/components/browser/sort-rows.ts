import type { Row } from '../../stores/browser'

export type SortColumn = 'name' | 'size' | 'modified' | 'encryption'
export interface SortOrder {
  column: SortColumn
  direction: 'asc' | 'desc'
}

/** The listing's own order: S3 and OBS list keys in byte order, which is name order for a partial listing too. */
export const SERVER_ORDER: SortOrder = { column: 'name', direction: 'asc' }

/** Does this order agree with the server's, so that a listing not fully loaded is still correctly sorted? */
export function matchesServerOrder(order: SortOrder): boolean {
  return order.column === 'name' && order.direction === 'asc'
}

function byName(a: Row, b: Row): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}

/**
 * Sorts folders first (always, in name order), then objects by the column; ties fall back to the name so the
 * order is stable. `encryptionLabel` gives an object's encryption as far as it is known; unknown ones go last
 * whatever the direction (there is nothing to compare them by).
 */
export function sortRows(
  rows: readonly Row[],
  order: SortOrder,
  encryptionLabel: (key: string) => string | undefined,
): Row[] {
  const folders = rows.filter((r) => r.kind === 'folder').sort(byName)
  const objects = rows.filter((r) => r.kind === 'object')
  const sign = order.direction === 'asc' ? 1 : -1
  if (order.column === 'name') {
    objects.sort((a, b) => sign * byName(a, b))
  } else if (order.column === 'encryption') {
    const labels = new Map(objects.map((r) => [r.key, encryptionLabel(r.key)]))
    objects.sort((a, b) => {
      const la = labels.get(a.key)
      const lb = labels.get(b.key)
      if (la === undefined || lb === undefined) return la === lb ? byName(a, b) : la === undefined ? 1 : -1
      return sign * la.localeCompare(lb) || byName(a, b)
    })
  } else {
    const value = (r: Row) =>
      r.kind !== 'object'
        ? 0
        : order.column === 'size'
          ? r.size
          : r.lastModified
            ? Date.parse(r.lastModified)
            : 0
    objects.sort((a, b) => sign * (value(a) - value(b)) || byName(a, b))
  }
  return folders.length ? [...folders, ...objects] : objects
}
