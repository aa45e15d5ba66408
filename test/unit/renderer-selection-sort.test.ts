// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import {
  applySelect,
  EMPTY_SELECTION,
  modeOf,
  selectAll,
} from '../../renderer/src/components/browser/selection'
import { matchesServerOrder, sortRows } from '../../renderer/src/components/browser/sort-rows'
import { type Row, useBrowserStore } from '../../renderer/src/stores/browser'
import { createFakeIpc, settle, storeHarness } from './renderer-fake-ipc'
import { page } from './renderer-fixtures'

const rows = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key }))
const keys = (s: { keys: ReadonlySet<string> }) => [...s.keys].sort()

describe('selection gestures', () => {
  it('click selects one row, ctrl-click toggles, shift-click selects the range from the anchor', () => {
    let s = applySelect(EMPTY_SELECTION, rows, 1, 'only')
    expect(keys(s)).toEqual(['b'])
    s = applySelect(s, rows, 3, 'toggle')
    expect(keys(s)).toEqual(['b', 'd'])
    s = applySelect(s, rows, 1, 'toggle')
    expect(keys(s)).toEqual(['d'])
    s = applySelect(s, rows, 0, 'range') // the anchor is b (the last row clicked): b..a, replacing
    expect(keys(s)).toEqual(['a', 'b'])
    s = applySelect(s, rows, 4, 'range') // the anchor stays at b: b..e
    expect(keys(s)).toEqual(['b', 'c', 'd', 'e'])
    s = applySelect(applySelect(EMPTY_SELECTION, rows, 4, 'only'), rows, 0, 'toggle')
    s = applySelect(s, rows, 2, 'add-range') // a..c added to e
    expect(keys(s)).toEqual(['a', 'b', 'c', 'e'])
  })

  it('ctrl-A selects every row; modifiers map to modes (cmd counts as ctrl)', () => {
    expect(keys(selectAll(rows))).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(modeOf({ shiftKey: false, ctrlKey: false, metaKey: false })).toBe('only')
    expect(modeOf({ shiftKey: false, ctrlKey: false, metaKey: true })).toBe('toggle')
    expect(modeOf({ shiftKey: true, ctrlKey: false, metaKey: false })).toBe('range')
    expect(modeOf({ shiftKey: true, ctrlKey: true, metaKey: false })).toBe('add-range')
  })
})

describe('sorting, folders first', () => {
  const obj = (key: string, size: number, lastModified: string): Row => ({
    kind: 'object',
    key,
    name: key,
    size,
    lastModified,
  })
  const list: Row[] = [
    obj('b.txt', 30, '2026-01-02T00:00:00Z'),
    { kind: 'folder', key: 'z/', name: 'z' },
    obj('a.txt', 10, '2026-01-03T00:00:00Z'),
    obj('c.txt', 20, '2026-01-01T00:00:00Z'),
    { kind: 'folder', key: 'm/', name: 'm' },
  ]
  const names = (r: Row[]) => r.map((x) => x.key)

  it('by size, modified and name in both directions, folders always first in name order', () => {
    const none = () => undefined
    expect(names(sortRows(list, { column: 'size', direction: 'asc' }, none))).toEqual([
      'm/',
      'z/',
      'a.txt',
      'c.txt',
      'b.txt',
    ])
    expect(names(sortRows(list, { column: 'size', direction: 'desc' }, none))).toEqual([
      'm/',
      'z/',
      'b.txt',
      'c.txt',
      'a.txt',
    ])
    expect(names(sortRows(list, { column: 'modified', direction: 'desc' }, none))).toEqual([
      'm/',
      'z/',
      'a.txt',
      'b.txt',
      'c.txt',
    ])
    expect(names(sortRows(list, { column: 'name', direction: 'desc' }, none))).toEqual([
      'm/',
      'z/',
      'c.txt',
      'b.txt',
      'a.txt',
    ])
  })

  it('by encryption where known; unknown ones last in either direction', () => {
    const labels: Record<string, string> = { 'a.txt': 'sse-obs', 'c.txt': 'sse-kms k' }
    const by = (direction: 'asc' | 'desc') =>
      names(sortRows(list, { column: 'encryption', direction }, (key) => labels[key]))
    expect(by('asc')).toEqual(['m/', 'z/', 'c.txt', 'a.txt', 'b.txt'])
    expect(by('desc')).toEqual(['m/', 'z/', 'a.txt', 'c.txt', 'b.txt'])
  })

  it('only name ascending matches the order the server lists in (so a partial listing stays correct)', () => {
    expect(matchesServerOrder({ column: 'name', direction: 'asc' })).toBe(true)
    expect(matchesServerOrder({ column: 'name', direction: 'desc' })).toBe(false)
    expect(matchesServerOrder({ column: 'size', direction: 'asc' })).toBe(false)
  })
})

describe('the browser store keeps the sorted rows in step with new pages', () => {
  it('a page loaded after sorting by size is sorted in; the partial sort is said; selection follows keys', async () => {
    const ipc = createFakeIpc()
      .answer('storage:buckets', () => [{ name: 'bucket-a' }])
      .answer('storage:bucket-encryption', () => ({ state: 'none' }))
      .answer('storage:list', (req) => (req.continuationToken ? page('', 3, 3) : page('', 0, 3, 'more')))
    storeHarness(ipc)
    const browser = useBrowserStore()
    await browser.setAccount('acc-1')
    await browser.openBucket('bucket-a')
    browser.setSort('size')
    browser.setSort('size') // descending
    expect(browser.sortIsPartial).toBe(true)
    expect(browser.sortedRows.map((r) => r.key)).toEqual(['obj-000002', 'obj-000001', 'obj-000000'])
    browser.selectRow(0, 'only')
    await browser.loadAll()
    await settle()
    expect(browser.sortIsPartial).toBe(false)
    expect(browser.sortedRows).toHaveLength(6)
    expect(browser.selectedRows.map((r) => r.key)).toEqual(['obj-000002'])
  })
})
