import { ref } from 'vue'
import { toUiError, type UiError } from '../errors'

/**
 * What every store does around reading its state from the main process: `loading` while the read runs, `loaded`
 * after the first success, and the last failure as `error` (cleared by the next read that works, so a view shows
 * either the data or why it could not be read).
 */
export function useLoader() {
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<UiError>()

  async function track(read: () => Promise<void>): Promise<void> {
    loading.value = true
    try {
      await read()
      error.value = undefined
      loaded.value = true
    } catch (e) {
      error.value = toUiError(e)
    } finally {
      loading.value = false
    }
  }

  return { loading, loaded, error, track }
}
