import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SyncPair, SyncPairInput, SyncPairStatus } from '../../../preload/contract/sync-models'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'
import { useLoader } from './loader'

export interface PairEntry {
  pair: SyncPair
  status: SyncPairStatus
}

/** Watched folders and their live status. */
export const useSyncStore = defineStore('sync', () => {
  const ipc = useIpc()
  const entries = ref<PairEntry[]>([])
  const { loading, loaded, error, track } = useLoader()
  const actionError = ref<UiError>()

  async function load(): Promise<void> {
    await track(async () => {
      entries.value = await ipc.call('sync:list')
    })
  }

  function follow(): () => void {
    return ipc.on('sync:status', (status) => {
      entries.value = entries.value.map((entry) =>
        entry.pair.id === status.id ? { ...entry, status } : entry,
      )
    })
  }

  function find(id: string | undefined): PairEntry | undefined {
    return id ? entries.value.find((entry) => entry.pair.id === id) : undefined
  }

  /** Add and edit throw, so that the form can show the reason next to the fields. */
  async function add(input: SyncPairInput): Promise<SyncPair> {
    const pair = await ipc.call('sync:add', input)
    await load()
    return pair
  }

  async function update(id: string, input: SyncPairInput): Promise<SyncPair> {
    const pair = await ipc.call('sync:update', id, input)
    await load()
    return pair
  }

  async function act(
    channel: 'sync:pause' | 'sync:resume' | 'sync:remove' | 'sync:confirm-deletions',
    id: string,
  ): Promise<void> {
    try {
      await ipc.call(channel, id)
      actionError.value = undefined
      await load()
    } catch (e) {
      actionError.value = toUiError(e)
    }
  }

  return {
    entries,
    loaded,
    loading,
    error,
    actionError,
    load,
    follow,
    find,
    add,
    update,
    pause: (id: string) => act('sync:pause', id),
    resume: (id: string) => act('sync:resume', id),
    remove: (id: string) => act('sync:remove', id),
    confirmDeletions: (id: string) => act('sync:confirm-deletions', id),
  }
})
