import { ref } from 'vue'
import { toUiError, type UiError } from '../errors'

/**
 * What every dialog and form does around one call to the main process: disable its buttons while the call runs,
 * clear the last error, and show the new one if it fails (the dialog stays open and keeps what the user typed).
 * `run` resolves to the call's value, or to undefined when it failed.
 */
export function useAction() {
  const busy = ref(false)
  const error = ref<UiError>()

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    error.value = undefined
    try {
      return await work()
    } catch (e) {
      error.value = toUiError(e)
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}
