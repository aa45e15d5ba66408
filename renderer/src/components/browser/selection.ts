/**
 * Which rows of the listing are selected, by key (keys survive sorting, filtering and new pages; indexes do not),
 * and the anchor a shift-click extends from. Pure functions, so the rules are tested without a DOM:
 * click = this row only; ctrl/cmd-click = toggle one; shift-click = the range from the anchor (replacing the
 * selection, as file managers do); ctrl+shift-click = add the range.
 */
export interface Selection {
  keys: ReadonlySet<string>
  anchor?: string
}

export type SelectMode = 'only' | 'toggle' | 'range' | 'add-range'

export const EMPTY_SELECTION: Selection = { keys: new Set() }

export function applySelect(
  current: Selection,
  rows: readonly { key: string }[],
  index: number,
  mode: SelectMode,
): Selection {
  const row = rows[index]
  if (!row) return current
  if (mode === 'only') return { keys: new Set([row.key]), anchor: row.key }
  if (mode === 'toggle') {
    const keys = new Set(current.keys)
    if (keys.has(row.key)) keys.delete(row.key)
    else keys.add(row.key)
    return { keys, anchor: row.key }
  }
  const anchorIndex = current.anchor ? rows.findIndex((r) => r.key === current.anchor) : -1
  const from = anchorIndex < 0 ? index : Math.min(anchorIndex, index)
  const to = anchorIndex < 0 ? index : Math.max(anchorIndex, index)
  const keys = mode === 'add-range' ? new Set(current.keys) : new Set<string>()
  for (let i = from; i <= to; i++) keys.add(rows[i]!.key)
  // The anchor stays where the range started, so further shift-clicks pivot around it.
  return { keys, anchor: anchorIndex < 0 ? row.key : current.anchor }
}

export function selectAll(rows: readonly { key: string }[]): Selection {
  return { keys: new Set(rows.map((r) => r.key)), anchor: rows[0]?.key }
}

/** The mode a pointer or key event asks for: shift extends, ctrl (cmd on macOS) toggles. */
export function modeOf(event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): SelectMode {
  const toggle = event.ctrlKey || event.metaKey
  if (event.shiftKey) return toggle ? 'add-range' : 'range'
  return toggle ? 'toggle' : 'only'
}
