import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { StatusSummary } from '../../../preload/contract/queue-models'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'

/** The at-a-glance summary the status bar shows (the same the tray shows). */
export const useStatusStore = defineStore('status', () => {
  const ipc = useIpc()
  const summary = ref<StatusSummary>()
  const error = ref<UiError>()

  async function load(): Promise<void> {
    try {
      summary.value = await ipc.call('status:get')
      error.value = undefined
    } catch (e) {
      error.value = toUiError(e)
    }
  }

  function follow(): () => void {
    return ipc.on('status:changed', (next) => {
      summary.value = next
      error.value = undefined
    })
  }

  return { summary, error, load, follow }
})
