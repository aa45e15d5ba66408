import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppInfo } from '../../../preload/contract/models'
import { useIpc } from '../ipc/inject'
import { useLoader } from './loader'

export const useAppInfoStore = defineStore('app-info', () => {
  const ipc = useIpc()
  const info = ref<AppInfo>()
  const { error, track } = useLoader()
  /** The headless web UI: local paths must be typed, as the browser does not reveal them. */
  const isWeb = computed(() => info.value?.host === 'web')

  async function load(): Promise<void> {
    await track(async () => {
      info.value = await ipc.call('app:info')
    })
  }

  return { info, error, isWeb, load }
})
