import { computed, onMounted } from 'vue'
import type { StorageClassSupport } from '../../../../preload/contract/storage-class-models'
import { useAccountsStore } from '../../stores/accounts'

const NONE: StorageClassSupport = { classes: [], customNames: false, restoreTiers: ['standard'] }

/** The storage classes and restore speeds of an account's provider, from the presets main sends. */
export function useStorageClasses(accountId: () => string | undefined) {
  const accounts = useAccountsStore()
  onMounted(() => void accounts.loadPresets())
  return computed<StorageClassSupport>(() => accounts.presetOf(accountId())?.storageClasses ?? NONE)
}
