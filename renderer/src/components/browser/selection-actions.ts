import { computed, nextTick, ref } from 'vue'
import { t } from '../../i18n'
import { useBrowserStore } from '../../stores/browser'
import { useBucketOpsStore } from '../../stores/bucket-ops'

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

  return {
    rows,
    single,
    copied,
    remove,
    details,
    archived,
    restore,
    download,
    copyKeys,
    downloadTitle: computed(() =>
      rows.value.length === 1 && rows.value[0]?.kind === 'folder'
        ? t('selection.downloadFolderTitle')
        : rows.value.length === 1
          ? t('selection.downloadObjectTitle')
          : t('selection.downloadItemsTitle'),
    ),
  }
}
