import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type {
  DownloadAnswer,
  DownloadBatch,
  DownloadProgress,
  DownloadRequest,
  OnExistsPolicy,
} from '../../../preload/contract/download-models'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'
import { readSetting, rememberedSetting, writeSetting } from '../settings'

const ON_EXISTS_SETTING = 'obs-sync.download-on-exists'
const TARGET_SETTING = 'obs-sync.download-dir'

/** Download batches (selections and folders) with their live progress, kept up to date by events. */
export const useDownloadsStore = defineStore('downloads', () => {
  const ipc = useIpc()
  const byId = shallowRef(new Map<number, DownloadBatch>())
  const progress = shallowRef(new Map<number, DownloadProgress>())
  const error = ref<UiError>()
  /** What to do with existing files unless the user answers otherwise: remembered across sessions. */
  const { value: onExistsDefault, set: setOnExistsDefault } = rememberedSetting<OnExistsPolicy>(
    ON_EXISTS_SETTING,
    'ask',
  )
  const lastTarget = ref(readSetting(TARGET_SETTING) ?? '')

  const batches = computed(() => [...byId.value.values()].sort((a, b) => b.id - a.id))

  function upsert(batch: DownloadBatch): void {
    byId.value.set(batch.id, batch)
    triggerRef(byId)
  }

  function follow(): () => void {
    const offBatch = ipc.on('downloads:batch', upsert)
    const offProgress = ipc.on('downloads:progress', (events) => {
      for (const e of events) progress.value.set(e.batchId, e)
      triggerRef(progress)
    })
    return () => {
      offBatch()
      offProgress()
    }
  }

  async function load(): Promise<void> {
    try {
      for (const batch of await ipc.call('downloads:list')) upsert(batch)
    } catch (e) {
      error.value = toUiError(e)
    }
  }

  async function start(request: Omit<DownloadRequest, 'onExists'>): Promise<DownloadBatch> {
    const batch = await ipc.call('downloads:start', { ...request, onExists: onExistsDefault.value })
    lastTarget.value = request.targetDir
    writeSetting(TARGET_SETTING, request.targetDir)
    upsert(batch)
    return batch
  }

  async function act(action: () => Promise<unknown>): Promise<void> {
    error.value = undefined
    try {
      await action()
    } catch (e) {
      error.value = toUiError(e)
    }
  }

  return {
    batches,
    progress,
    error,
    onExistsDefault,
    lastTarget,
    follow,
    load,
    start,
    setOnExistsDefault,
    pause: (id: number) => act(() => ipc.call('downloads:pause', id)),
    resume: (id: number) => act(() => ipc.call('downloads:resume', id)),
    cancel: (id: number) => act(() => ipc.call('downloads:cancel', id)),
    answer: (id: number, answer: DownloadAnswer) =>
      act(async () => upsert(await ipc.call('downloads:answer', id, answer))),
    clearFinished: () =>
      act(async () => {
        await ipc.call('downloads:clear-finished')
        for (const [id, b] of byId.value)
          if (['done', 'failed', 'cancelled'].includes(b.state)) byId.value.delete(id)
        triggerRef(byId)
      }),
  }
})
