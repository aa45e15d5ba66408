import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Activity } from '../../../preload/contract/sync-models'
import { useIpc } from '../ipc/inject'
import { useLoader } from './loader'

const KEEP = 1000

/** The activity log, newest first; the window keeps the last thousand lines. */
export const useActivityStore = defineStore('activity', () => {
  const ipc = useIpc()
  const entries = ref<Activity[]>([])
  const { loaded, error, track } = useLoader()

  function newestFirst(list: Activity[]): Activity[] {
    return [...list].sort((a, b) => b.at.localeCompare(a.at)).slice(0, KEEP)
  }

  async function load(): Promise<void> {
    await track(async () => {
      const recent = await ipc.call('activity:recent')
      // Lines pushed while the request was on its way are kept (deduplicated by content).
      const seen = new Set(recent.map((a) => `${a.at}|${a.message}`))
      entries.value = newestFirst([
        ...recent,
        ...entries.value.filter((a) => !seen.has(`${a.at}|${a.message}`)),
      ])
    })
  }

  function follow(): () => void {
    // An event carries the lines of a short window, oldest first.
    return ipc.on('activity', (lines) => {
      entries.value = [...[...lines].reverse(), ...entries.value].slice(0, KEEP)
    })
  }

  /** Lines about one watched folder, newest first. */
  function forPair(pairId: string): Activity[] {
    return entries.value.filter((a) => a.syncPairId === pairId)
  }

  return { entries, loaded, error, load, follow, forPair }
})
