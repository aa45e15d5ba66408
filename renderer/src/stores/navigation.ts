import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ViewName = 'browser' | 'transfers' | 'folders' | 'activity' | 'account-form'

/** Which main view is shown (no router: the app has a handful of views and no deep links). */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>('browser')
  /** The account being edited by the account form; undefined = adding a new one. */
  const editingAccountId = ref<string>()

  function go(next: ViewName): void {
    view.value = next
  }

  function addAccount(): void {
    editingAccountId.value = undefined
    view.value = 'account-form'
  }

  function editAccount(id: string): void {
    editingAccountId.value = id
    view.value = 'account-form'
  }

  return { view, editingAccountId, go, addAccount, editAccount }
})
