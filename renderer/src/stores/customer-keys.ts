import { defineStore } from 'pinia'
import { ref } from 'vue'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'

/** SSE-C customer keys per account: kept in the keychain by main; only names reach the window, unless exported. */
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

  /** Stores a key backed up elsewhere (base64); main checks it and never replaces an existing name. */
  async function importKey(accountId: string, name: string, keyBase64: string): Promise<void> {
    await ipc.call('sse-c:import', accountId, name, keyBase64)
    await load(accountId)
  }

  /** The key itself, for the user's backup: the one time key material reaches the window, on request. */
  function exportKey(accountId: string, name: string): Promise<string> {
    return ipc.call('sse-c:export', accountId, name)
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

  return { names, errors, load, create, importKey, exportKey, remove, of, errorOf }
})
