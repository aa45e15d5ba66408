import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo } from '../../../preload/contract/models'
import { useIpc } from '../ipc/inject'

export const useAppInfoStore = defineStore('app-info', () => {
  const ipc = useIpc()
  const info = ref<AppInfo>()
  const error = ref<string>()

  async function load(): Promise<void> {
    try {
      info.value = await ipc.call('app:info')
      error.value = undefined
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  return { info, error, load }
})
