import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { StatusSummary } from '../../../preload/contract/queue-models'
import { useIpc } from '../ipc/inject'
import { useLoader } from './loader'

/** The at-a-glance summary the status bar shows (the same the tray shows). */
export const useStatusStore = defineStore('status', () => {
  const ipc = useIpc()
  const summary = ref<StatusSummary>()
  const { error, track } = useLoader()

  async function load(): Promise<void> {
    await track(async () => {
      summary.value = await ipc.call('status:get')
    })
  }

  function follow(): () => void {
    return ipc.on('status:changed', (next) => {
      summary.value = next
      error.value = undefined
    })
  }

  return { summary, error, load, follow }
})
