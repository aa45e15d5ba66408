import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppInfo } from '../../../preload/contract/models'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'

export const useAppInfoStore = defineStore('app-info', () => {
  const ipc = useIpc()
  const info = ref<AppInfo>()
  const error = ref<UiError>()
  /** The headless web UI: local paths must be typed, as the browser does not reveal them. */
  const isWeb = computed(() => info.value?.host === 'web')

  async function load(): Promise<void> {
    try {
      info.value = await ipc.call('app:info')
      error.value = undefined
    } catch (e) {
      error.value = toUiError(e)
    }
  }

  return { info, error, isWeb, load }
})
