import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  Account,
  AccountInput,
  ConnectionTest,
  ProviderPresetInfo,
} from '../../../preload/contract/models'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'
import { readSetting, writeSetting } from '../settings'
import { useLoader } from './loader'

const CURRENT_KEY = 'obs-sync.current-account'

/** Accounts, the provider presets the add form starts from, and which account the window works with. */
export const useAccountsStore = defineStore('accounts', () => {
  const ipc = useIpc()
  const accounts = ref<Account[]>([])
  const presets = ref<ProviderPresetInfo[]>([])
  const { loading, loaded, error, track } = useLoader()
  const presetsError = ref<UiError>()
  const selectedId = ref<string | undefined>(readSetting(CURRENT_KEY))

  /** The selected account, or the first one when the remembered one is gone. */
  const current = computed<Account | undefined>(
    () => accounts.value.find((a) => a.id === selectedId.value) ?? accounts.value[0],
  )
  const currentId = computed(() => current.value?.id)

  function byId(id: string | undefined): Account | undefined {
    return id ? accounts.value.find((a) => a.id === id) : undefined
  }

  async function load(): Promise<void> {
    await track(async () => {
      accounts.value = await ipc.call('accounts:list')
    })
  }

  /** The preset of an account's provider; undefined until the presets are loaded (`loadPresets`). */
  function presetOf(accountId: string | undefined): ProviderPresetInfo | undefined {
    const provider = byId(accountId)?.provider
    return presets.value.find((p) => p.id === provider)
  }

  async function loadPresets(): Promise<void> {
    if (presets.value.length > 0) return
    try {
      presets.value = await ipc.call('accounts:presets')
      presetsError.value = undefined
    } catch (e) {
      presetsError.value = toUiError(e)
    }
  }

  function select(id: string): void {
    selectedId.value = id
    writeSetting(CURRENT_KEY, id)
  }

  function upsert(account: Account): void {
    const index = accounts.value.findIndex((a) => a.id === account.id)
    if (index === -1) accounts.value = [...accounts.value, account]
    else accounts.value = accounts.value.map((a) => (a.id === account.id ? account : a))
  }

  /** Saves a new account (its secret goes to the keychain in main) and makes it the current one. */
  async function add(input: AccountInput): Promise<Account> {
    const account = await ipc.call('accounts:add', input)
    upsert(account)
    select(account.id)
    return account
  }

  async function update(id: string, input: AccountInput): Promise<Account> {
    const account = await ipc.call('accounts:update', id, input)
    upsert(account)
    return account
  }

  async function remove(id: string): Promise<void> {
    await ipc.call('accounts:remove', id)
    accounts.value = accounts.value.filter((a) => a.id !== id)
    if (selectedId.value === id) {
      selectedId.value = undefined
      writeSetting(CURRENT_KEY, undefined)
    }
  }

  function test(id: string): Promise<ConnectionTest> {
    return ipc.call('accounts:test', id)
  }

  /** Keeps the list current when another window, the CLI or the tray changes accounts. */
  function follow(): () => void {
    return ipc.on('accounts:changed', (list) => {
      accounts.value = list
      loaded.value = true
    })
  }

  return {
    accounts,
    presets,
    loaded,
    loading,
    error,
    presetsError,
    current,
    currentId,
    byId,
    load,
    loadPresets,
    presetOf,
    select,
    add,
    update,
    remove,
    test,
    follow,
    upsert,
  }
})
