import { defineStore } from 'pinia'
import { ref } from 'vue'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'

/** SSE-C customer keys per account: generated and kept in the keychain by main; only names reach the window. */
export const useCustomerKeysStore = defineStore('customer-keys', () => {
  const ipc = useIpc()
  const names = ref<Record<string, string[]>>({})
  const errors = ref<Record<string, UiError | undefined>>({})

  async function load(accountId: string): Promise<void> {
    try {
      names.value[accountId] = await ipc.call('sse-c:list', accountId)
      errors.value[accountId] = undefined
    } catch (e) {
      errors.value[accountId] = toUiError(e)
    }
  }

  /** Creates a new random key under this name (it never leaves the keychain), then lists again. */
  async function create(accountId: string, name: string): Promise<void> {
    await ipc.call('sse-c:create', accountId, name)
    await load(accountId)
  }

  async function remove(accountId: string, name: string): Promise<void> {
    await ipc.call('sse-c:delete', accountId, name)
    await load(accountId)
  }

  function of(accountId: string | undefined): string[] {
    return accountId ? (names.value[accountId] ?? []) : []
  }

  function errorOf(accountId: string | undefined): UiError | undefined {
    return accountId ? errors.value[accountId] : undefined
  }

  return { names, errors, load, create, remove, of, errorOf }
})
