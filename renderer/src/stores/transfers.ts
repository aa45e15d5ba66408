import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type {
  ClashAnswer,
  EnqueueRequest,
  EnqueueResult,
  Job,
  JobState,
  ProgressEvent,
} from '../../../preload/contract/queue-models'
import { problemGroups } from '../components/transfers/problem-groups'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'
import { readSetting, writeSetting } from '../settings'

const UPLOAD_ON_EXISTS_SETTING = 'obs-sync.upload-on-exists'

export type JobTarget = number | 'all' | number[]

/** Live numbers of a running job (from queue:progress). */
export interface JobProgress {
  bytesDone: number
  size: number
  bytesPerSecond: number
  etaSeconds?: number
}

const ORDER: Record<JobState, number> = { running: 0, queued: 1, paused: 2, failed: 3, cancelled: 4, done: 5 }

function byState(a: Job, b: Job): number {
  const order = ORDER[a.state] - ORDER[b.state]
  if (order !== 0) return order
  // Active work in queue order; finished work newest first.
  return a.state === 'done' || a.state === 'cancelled' || a.state === 'failed'
    ? b.updatedAt.localeCompare(a.updatedAt)
    : a.id - b.id
}

/** The durable upload queue as the transfers view shows it, kept live by queue events. */
export const useTransfersStore = defineStore('transfers', () => {
  const ipc = useIpc()
  const jobsById = shallowRef(new Map<number, Job>())
  const progress = shallowRef(new Map<number, JobProgress>())
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<UiError>()
  /** The last failed action (pause, retry...), shown above the list. */
  const actionError = ref<UiError>()

  const jobs = computed(() => [...jobsById.value.values()].sort(byState))
  const counts = computed(() => {
    const counts: Record<JobState, number> = {
      queued: 0,
      running: 0,
      paused: 0,
      done: 0,
      failed: 0,
      cancelled: 0,
    }
    for (const job of jobsById.value.values()) counts[job.state]++
    return counts
  })
  const hasFinished = computed(() => counts.value.done + counts.value.cancelled > 0)
  /** Failed and held uploads grouped by their one cause (shown as one problem each). */
  const problems = computed(() => problemGroups([...jobsById.value.values()]))

  function upsert(job: Job): void {
    const known = jobsById.value.get(job.id)
    if (known && known.updatedAt > job.updatedAt) return
    jobsById.value.set(job.id, job)
    if (job.state !== 'running') progress.value.delete(job.id)
    triggerRef(jobsById)
  }

  async function load(): Promise<void> {
    loading.value = true
    try {
      const list = await ipc.call('queue:list')
      // Events may have arrived while the list was on its way: keep whichever is newer.
      const next = new Map<number, Job>()
      for (const job of list) {
        const seen = jobsById.value.get(job.id)
        next.set(job.id, seen && seen.updatedAt > job.updatedAt ? seen : job)
      }
      jobsById.value = next
      error.value = undefined
      loaded.value = true
    } catch (e) {
      error.value = toUiError(e)
    } finally {
      loading.value = false
    }
  }

  function onProgress(events: ProgressEvent[]): void {
    for (const event of events) {
      progress.value.set(event.jobId, {
        bytesDone: event.bytesDone,
        size: event.size,
        bytesPerSecond: event.bytesPerSecond,
        etaSeconds: event.etaSeconds,
      })
    }
    triggerRef(progress)
  }

  function onRemoved(ids: number[]): void {
    for (const id of ids) {
      jobsById.value.delete(id)
      progress.value.delete(id)
    }
    triggerRef(jobsById)
    triggerRef(progress)
  }

  function follow(): () => void {
    const stops = [
      ipc.on('queue:job', upsert),
      ipc.on('queue:removed', onRemoved),
      ipc.on('queue:progress', onProgress),
    ]
    return () => {
      for (const stop of stops) stop()
    }
  }

  /** Bytes done of a job: the live figure while it runs, else what the queue recorded. */
  function bytesDone(job: Job): number {
    return progress.value.get(job.id)?.bytesDone ?? job.bytesDone
  }

  function progressOf(id: number): JobProgress | undefined {
    return progress.value.get(id)
  }

  async function act(
    channel: 'queue:pause' | 'queue:resume' | 'queue:cancel' | 'queue:retry',
    target: JobTarget,
  ): Promise<void> {
    try {
      await ipc.call(channel, target)
      actionError.value = undefined
    } catch (e) {
      actionError.value = toUiError(e)
    }
  }

  async function clearFinished(): Promise<void> {
    try {
      await ipc.call('queue:clear-finished')
      actionError.value = undefined
    } catch (e) {
      actionError.value = toUiError(e)
    }
  }

  /** Queues local files and folders; the caller shows what was skipped and why. */
  async function enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    return ipc.call('queue:enqueue', request)
  }

  /** The one answer for the files of an upload whose objects already exist. */
  async function answerClashes(answer: ClashAnswer): Promise<EnqueueResult> {
    return ipc.call('queue:answer-clashes', answer)
  }

  /** What to do when an upload lands on an existing object, unless answered otherwise: remembered. */
  const onExistsDefault = ref<OnExistsPolicy>(
    (readSetting(UPLOAD_ON_EXISTS_SETTING) as OnExistsPolicy) ?? 'ask',
  )
  function setOnExistsDefault(value: OnExistsPolicy): void {
    onExistsDefault.value = value
    writeSetting(UPLOAD_ON_EXISTS_SETTING, value)
  }

  return {
    answerClashes,
    onExistsDefault,
    setOnExistsDefault,
    jobs,
    counts,
    hasFinished,
    problems,
    loading,
    loaded,
    error,
    actionError,
    load,
    follow,
    bytesDone,
    progressOf,
    pause: (target: JobTarget) => act('queue:pause', target),
    resume: (target: JobTarget) => act('queue:resume', target),
    cancel: (target: JobTarget) => act('queue:cancel', target),
    retry: (target: JobTarget) => act('queue:retry', target),
    clearFinished,
    enqueue,
  }
})
