import { computed, nextTick, ref } from 'vue'
import { countOf } from '../../format'
import { t } from '../../i18n'
import { useBrowserStore } from '../../stores/browser'
import { useBucketOpsStore } from '../../stores/bucket-ops'

/** One action on the selected rows, as the toolbar and the context menu show it. */
export interface SelectionItem {
  /** Also names its test id: `selection-<id>` in the toolbar, `menu-<id>` in the menu. */
  id: 'download' | 'details' | 'restore' | 'copy' | 'delete'
  label: string
  title?: string
  disabled?: boolean
  danger?: boolean
  run: () => unknown
}

/**
 * What the toolbar and the context menu can do with the selected rows, in one place so both offer the same
 * actions with the same rules: details needs one object; download, copy key and delete take any selection.
 */
export function useSelectionActions() {
  const browser = useBrowserStore()
  const ops = useBucketOpsStore()
  const copied = ref(false)

  const rows = computed(() => browser.selectedRows)
  const single = computed(() =>
    rows.value.length === 1 && rows.value[0]?.kind === 'object' ? rows.value[0] : undefined,
  )

  function remove(): void {
    if (rows.value.length === 0) return
    ops.dialog = {
      kind: 'delete',
      targets: {
        keys: rows.value.filter((r) => r.kind === 'object').map((r) => r.key),
        prefixes: rows.value.filter((r) => r.kind === 'folder').map((r) => r.key),
      },
    }
  }

  /** Opens the details panel, where the object is shared or saved by the browser. */
  function details(): void {
    if (single.value) void browser.select(single.value.key)
  }

  /** One archived object (Cold, Glacier...): it must be restored before it can be read. */
  const archived = computed(() =>
    single.value?.kind === 'object' && single.value.archived ? single.value : undefined,
  )

  /** Opens the archived object's details at its "Restore for N days" form (restore state and speed live there). */
  async function restore(): Promise<void> {
    if (!archived.value) return
    await browser.select(archived.value.key)
    await nextTick()
    document.getElementById('restore-days')?.focus()
  }

  /** Objects and whole folders alike go to the download queue, as one batch. */
  function download(): void {
    if (rows.value.length === 0) return
    ops.dialog = { kind: 'download', keys: rows.value.map((r) => r.key) }
  }

  async function copyKeys(): Promise<void> {
    const text = rows.value.map((r) => r.key).join('\n')
    await navigator.clipboard.writeText(text)
    copied.value = true
    setTimeout(() => (copied.value = false), 1500)
  }

  const downloadTitle = computed(() =>
    rows.value.length === 1 && rows.value[0]?.kind === 'folder'
      ? t('selection.downloadFolderTitle')
      : rows.value.length === 1
        ? t('selection.downloadObjectTitle')
        : t('selection.downloadItemsTitle'),
  )

  /**
   * The actions in the order both places list them. The menu, opened on rows, counts what it acts on and offers
   * restore for an archived object; the toolbar says when the keys were copied.
   */
  function items(place: 'toolbar' | 'menu'): SelectionItem[] {
    const count = rows.value.length
    const menu = place === 'menu'
    const restoreItem: SelectionItem[] =
      menu && archived.value ? [{ id: 'restore', label: t('rowMenu.restore'), run: restore }] : []
    return [
      { id: 'download', label: t('selection.downloadEllipsis'), title: downloadTitle.value, run: download },
      { id: 'details', label: t('common.details'), disabled: !single.value, run: details },
      ...restoreItem,
      {
        id: 'copy',
        label: !menu && copied.value ? t('common.copied') : countOf('selection.copyKeys', count),
        run: copyKeys,
      },
      {
        id: 'delete',
        label: menu ? countOf('rowMenu.deleteItems', count) : t('selection.deleteEllipsis'),
        danger: true,
        run: remove,
      },
    ]
  }

  return {
    items,
    rows,
    single,
    copied,
    remove,
    details,
    archived,
    restore,
    download,
    copyKeys,
    downloadTitle,
  }
}
