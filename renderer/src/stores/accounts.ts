import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Account } from '../../../preload/contract/models'
import { useIpc } from '../ipc/inject'

export const useAccountsStore = defineStore('accounts', () => {
  const ipc = useIpc()
  const accounts = ref<Account[]>([])
  const loading = ref(false)
  const error = ref<string>()

  async function load(): Promise<void> {
    loading.value = true
    try {
      accounts.value = await ipc.call('accounts:list')
      error.value = undefined
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      loading.value = false
    }
  }

  /** Keeps the list current when another window, the CLI or the tray changes accounts. */
  function follow(): () => void {
    return ipc.on('accounts:changed', (list) => {
      accounts.value = list
    })
  }

  return { accounts, loading, error, load, follow }
})
