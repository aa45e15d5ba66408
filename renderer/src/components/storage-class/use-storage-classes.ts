import { computed, onMounted } from 'vue'
import type { StorageClassSupport } from '../../../../preload/contract/storage-class-models'
import { useAccountsStore } from '../../stores/accounts'

const NONE: StorageClassSupport = { classes: [], customNames: false, restoreTiers: ['standard'] }

/** The storage classes and restore speeds of an account's provider, from the presets main sends. */
export function useStorageClasses(accountId: () => string | undefined) {
  const accounts = useAccountsStore()
  onMounted(() => void accounts.loadPresets())
  return computed<StorageClassSupport>(() => {
    const provider = accounts.accounts.find((a) => a.id === accountId())?.provider
    return accounts.presets.find((p) => p.id === provider)?.storageClasses ?? NONE
  })
}
