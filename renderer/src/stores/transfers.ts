import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type {
  ClashAnswer,
  EnqueueRequest,
  EnqueueResult,
  Job,
  JobTarget,
  ProgressEvent,
} from '../../../preload/contract/queue-models'
import type {
  CountsFilter,
  GroupAction,
  JobCounts,
  ProblemGroup,
  UploadHistory,
} from '../../../preload/contract/queue-page'
import type {
  BandwidthLimitState,
  QueueSettingsEvent,
  RequestLimitState,
} from '../../../preload/contract/queue-settings'
import { toUiError, type UiError } from '../errors'
import { useIpc } from '../ipc/inject'
import { rememberedSetting } from '../settings'
import {
  appendPage,
  applyJob,
  filterRequest,
  firstPage,
  removeJobs,
  type TransferFilter,
  type TransferWindow,
} from './transfer-window'

const UPLOAD_ON_EXISTS_SETTING = 'obs-sync.upload-on-exists'
/** Jobs per page read (one frame of ~60 KiB). */
export const TRANSFERS_PAGE_SIZE = 100
/** The most jobs the window holds however far the user scrolls or however many jobs arrive. */
export const TRANSFERS_WINDOW_MAX = 2000
/** Problem groups and history are read again at most this often while jobs change. */
const REREAD_MS = 500

export type { JobTarget } from '../../../preload/contract/queue-models'
export type { TransferFilter } from './transfer-window'

/** Live numbers of a running job (from queue:progress). */
export interface JobProgress {
  bytesDone: number
  size: number
  bytesPerSecond: number
  etaSeconds?: number
}

const NO_JOBS: JobCounts = { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 }

/**
 * The durable upload queue as the transfers view shows it: a window of it (the first page, more pages as the
 * user scrolls; never every job), the counts per state and the problems grouped by cause, as the queue answers
 * them, kept live by queue events (changed jobs, removed ids and new counts; never a list).
 */
export const useTransfersStore = defineStore('transfers', () => {
  const ipc = useIpc()
  const filter = ref<TransferFilter>('all')
  /** The account and/or watched folder the view is narrowed to (empty: all); the counts are of it too. */
  const scope = ref<CountsFilter>({})
  const scoped = computed(() => scope.value.accountId !== undefined || scope.value.syncPairId !== undefined)
  const window = shallowRef<TransferWindow>({ jobs: [] })
  const progress = shallowRef(new Map<number, JobProgress>())
  const counts = ref<JobCounts>({ ...NO_JOBS })
  const problems = ref<ProblemGroup[]>([])
  /** Causes beyond those the queue sends (the biggest 50), and how many jobs they stopped. */
  const moreProblems = ref({ groups: 0, jobs: 0 })
  const history = ref<UploadHistory>()
  /** Requests in flight at once over all uploads: the user's setting, as the queue applies it. */
  const requestLimit = ref<RequestLimitState>()
  /** Why the request limit last typed was refused; cleared once the field holds an acceptable value. */
  const requestLimitRefusal = ref<UiError>()
  /** The upload rate limit over all uploads (KiB/s, null: none), as the queue applies it. */
  const bandwidthLimit = ref<BandwidthLimitState>()
  /** Why the rate limit last typed was refused; cleared once the field holds an acceptable value. */
  const bandwidthLimitRefusal = ref<UiError>()
  /** The last upload that finished (the browser lists its folder again). */
  const lastDone = shallowRef<Job>()
  const loading = ref(false)
  const loadingMore = ref(false)
  const loaded = ref(false)
  const error = ref<UiError>()
  /** The last failed action (pause, retry...), shown above the list. */
  const actionError = ref<UiError>()
  let generation = 0
  let rereadTimer: ReturnType<typeof setTimeout> | undefined
  let countsTimer: ReturnType<typeof setTimeout> | undefined
  let refillTimer: ReturnType<typeof setTimeout> | undefined

  const jobs = computed(() => window.value.jobs)
  const hasMore = computed(() => window.value.nextCursor !== undefined)
  const hasFinished = computed(() => counts.value.done + counts.value.cancelled > 0)

  /** The first page of the current filter, the problem groups and the history, read afresh. */
  async function load(): Promise<void> {
    const mine = ++generation
    loading.value = true
    try {
      const [page] = await Promise.all([
        ipc.call('queue:page', {
          ...filterRequest(filter.value),
          ...scope.value,
          limit: TRANSFERS_PAGE_SIZE,
        }),
        readProblems(),
        readHistory(),
        readRequestLimit(),
        readBandwidthLimit(),
      ])
      if (mine !== generation) return
      window.value = firstPage(window.value, page)
      counts.value = page.counts
      error.value = undefined
      loaded.value = true
    } catch (e) {
      if (mine === generation) error.value = toUiError(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** The next (older) page, appended to the window; the oldest are let go beyond TRANSFERS_WINDOW_MAX... */
  async function loadMore(): Promise<void> {
    const cursor = window.value.nextCursor
    if (cursor === undefined || loadingMore.value || window.value.jobs.length >= TRANSFERS_WINDOW_MAX) return
    const mine = generation
    loadingMore.value = true
    try {
      const page = await ipc.call('queue:page', {
        ...filterRequest(filter.value),
        ...scope.value,
        cursor,
        limit: TRANSFERS_PAGE_SIZE,
      })
      if (mine !== generation || window.value.nextCursor !== cursor) return
      window.value = appendPage(window.value, page)
      counts.value = page.counts
    } catch (e) {
      actionError.value = toUiError(e)
    } finally {
      loadingMore.value = false
    }
  }

  function setFilter(next: TransferFilter): Promise<void> {
    filter.value = next
    window.value = { jobs: [] }
    loaded.value = false
    return load()
  }

  /** Shows only the jobs of one account and/or watched folder (empty: all), with their counts. */
  function setScope(next: CountsFilter): Promise<void> {
    scope.value = {
      ...(next.accountId ? { accountId: next.accountId } : {}),
      ...(next.syncPairId ? { syncPairId: next.syncPairId } : {}),
    }
    window.value = { jobs: [] }
    loaded.value = false
    return load()
  }

  const inScope = (job: Job) =>
    (scope.value.accountId === undefined || job.accountId === scope.value.accountId) &&
    (scope.value.syncPairId === undefined || job.syncPairId === scope.value.syncPairId)

  async function readProblems(): Promise<void> {
    const asked = scope.value
    const answer = await ipc.call('queue:problem-groups', { ...asked })
    // An answer for the scope the view had before it was narrowed (or widened) is not shown.
    if (asked !== scope.value) return
    problems.value = answer.groups
    moreProblems.value = answer.more
  }

  /** "Uploaded earlier" of what the view shows: the account's / watched folder's history when narrowed. */
  async function readHistory(): Promise<void> {
    const asked = scope.value
    const answer = await (scoped.value ? ipc.call('queue:history', { ...asked }) : ipc.call('queue:history'))
    if (asked === scope.value) history.value = answer
  }

  async function readRequestLimit(): Promise<void> {
    requestLimit.value = await ipc.call('queue:request-limit')
  }

  async function readBandwidthLimit(): Promise<void> {
    bandwidthLimit.value = await ipc.call('queue:bandwidth-limit')
  }

  /** Problems and history follow the jobs, read again at most every REREAD_MS. */
  function rereadSoon(): void {
    rereadTimer ??= setTimeout(() => {
      rereadTimer = undefined
      void Promise.all([readProblems(), readHistory()]).catch((e: unknown) => {
        actionError.value = toUiError(e)
      })
    }, REREAD_MS)
  }

  /** Jobs changed (one `queue:jobs` event: the changes of a short window, each job once). */
  function onJobs(changed: Job[]): void {
    let next = window.value
    let progressChanged = false
    let problemChanged = false
    for (const job of changed) {
      if (!inScope(job)) continue
      const before = next.jobs.find((j) => j.id === job.id)
      next = applyJob(next, job, filter.value, TRANSFERS_WINDOW_MAX)
      if (job.state !== 'running' && progress.value.delete(job.id)) progressChanged = true
      if (job.state === 'done') lastDone.value = job
      // A problem appeared, changed or went away.
      if (job.error || before?.error || job.state === 'failed' || job.state === 'paused')
        problemChanged = true
    }
    window.value = next
    if (progressChanged) triggerRef(progress)
    if (problemChanged) rereadSoon()
  }

  function onCounts(next: JobCounts): void {
    const was = counts.value
    // The event counts the whole queue; a narrowed view reads its own counts (at most every REREAD_MS).
    if (scoped.value) countsSoon()
    else counts.value = next
    if (next.failed !== was.failed || next.paused !== was.paused) rereadSoon()
  }

  function countsSoon(): void {
    countsTimer ??= setTimeout(() => {
      countsTimer = undefined
      const asked = scope.value
      void ipc
        .call('queue:counts', asked)
        .then((answer) => {
          if (asked === scope.value) counts.value = answer
        })
        .catch((e: unknown) => {
          actionError.value = toUiError(e)
        })
    }, REREAD_MS)
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
    window.value = removeJobs(window.value, ids)
    for (const id of ids) progress.value.delete(id)
    triggerRef(progress)
    rereadSoon()
    // Cleared jobs emptied the window while older ones remain: the first page again, once the removals end.
    if (window.value.nextCursor !== undefined && window.value.jobs.length < TRANSFERS_PAGE_SIZE) {
      clearTimeout(refillTimer)
      refillTimer = setTimeout(() => void load(), REREAD_MS)
    }
  }

  /** A limit or the kept days changed (in another window, or saved with `obs-sync settings`). */
  function onSettings(settings: QueueSettingsEvent): void {
    requestLimit.value = settings.requestLimit
    bandwidthLimit.value = settings.bandwidthLimit
    if (history.value && history.value.keepDoneDays !== settings.keepDoneDays) {
      history.value = { ...history.value, keepDoneDays: settings.keepDoneDays }
      // Fewer days may have moved finished uploads to the history.
      rereadSoon()
    }
  }

  function follow(): () => void {
    const stops = [
      ipc.on('queue:settings', onSettings),
      ipc.on('queue:jobs', onJobs),
      ipc.on('queue:removed', onRemoved),
      ipc.on('queue:progress', onProgress),
      ipc.on('queue:counts', onCounts),
    ]
    return () => {
      for (const stop of stops) stop()
      clearTimeout(rereadTimer)
      clearTimeout(refillTimer)
      clearTimeout(countsTimer)
      rereadTimer = undefined
      countsTimer = undefined
    }
  }

  /** Bytes done of a job: the live figure while it runs, else what the queue recorded. */
  function bytesDone(job: Job): number {
    return progress.value.get(job.id)?.bytesDone ?? job.bytesDone
  }

  function progressOf(id: number): JobProgress | undefined {
    return progress.value.get(id)
  }

  /** Calls an action channel; a failure is shown above the list, never thrown at the button. */
  async function attempt(action: () => Promise<unknown>): Promise<void> {
    try {
      await action()
      actionError.value = undefined
    } catch (e) {
      actionError.value = toUiError(e)
    }
  }

  /**
   * 'all' is what the view shows: the whole queue, or the account / watched folder it is narrowed to (the queue
   * picks that scope's jobs: the bulk buttons never act on jobs the view does not count).
   */
  const inView = (target: JobTarget): JobTarget =>
    target === 'all' && scoped.value ? { ...scope.value } : target

  const act = (channel: 'queue:pause' | 'queue:resume' | 'queue:cancel' | 'queue:retry', target: JobTarget) =>
    attempt(() => ipc.call(channel, inView(target)))

  /** Clears finished or failed jobs of what the view shows. */
  const clear = (channel: 'queue:clear-finished' | 'queue:clear-failed') =>
    attempt(() => (scoped.value ? ipc.call(channel, { ...scope.value }) : ipc.call(channel)))

  /** Retry, cancel or clear every job of one problem group that the view shows (its account / folder only). */
  async function groupAction(groupId: string, action: GroupAction['action']): Promise<void> {
    await attempt(() => ipc.call('queue:group-action', { groupId, action, ...scope.value }))
    await attempt(readProblems)
  }

  async function setKeepDoneDays(days: number): Promise<void> {
    await attempt(async () => {
      const all = await ipc.call('queue:set-keep-done-days', days)
      // Its answer is the whole queue's history: a narrowed view reads its own again.
      if (scoped.value) await readHistory()
      else history.value = all
    })
  }

  /**
   * Saves the request limit; the queue applies it at once. A refused value changes nothing and says why at the
   * field (`requestLimitRefusal`), until a value is accepted or the field holds the limit in force again.
   */
  async function setRequestLimit(requests: number): Promise<void> {
    try {
      requestLimit.value = await ipc.call('queue:set-request-limit', requests)
      requestLimitRefusal.value = undefined
    } catch (e) {
      requestLimitRefusal.value = toUiError(e)
    }
  }

  /**
   * Saves the upload rate limit in KiB/s (null: none); the queue applies it at once. A refused value changes
   * nothing and says why at the field (`bandwidthLimitRefusal`), as for the request limit.
   */
  async function setBandwidthLimit(kibPerSecond: number | null): Promise<void> {
    try {
      bandwidthLimit.value = await ipc.call('queue:set-bandwidth-limit', kibPerSecond)
      bandwidthLimitRefusal.value = undefined
    } catch (e) {
      bandwidthLimitRefusal.value = toUiError(e)
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
  const { value: onExistsDefault, set: setOnExistsDefault } = rememberedSetting<OnExistsPolicy>(
    UPLOAD_ON_EXISTS_SETTING,
    'ask',
  )

  return {
    answerClashes,
    onExistsDefault,
    setOnExistsDefault,
    filter,
    setFilter,
    scope,
    scoped,
    setScope,
    jobs,
    hasMore,
    counts,
    hasFinished,
    problems,
    moreProblems,
    history,
    requestLimit,
    setRequestLimit,
    requestLimitRefusal,
    clearRequestLimitRefusal: () => {
      requestLimitRefusal.value = undefined
    },
    bandwidthLimit,
    setBandwidthLimit,
    bandwidthLimitRefusal,
    clearBandwidthLimitRefusal: () => {
      bandwidthLimitRefusal.value = undefined
    },
    lastDone,
    loading,
    loadingMore,
    loaded,
    error,
    actionError,
    load,
    loadMore,
    follow,
    bytesDone,
    progressOf,
    pause: (target: JobTarget) => act('queue:pause', target),
    resume: (target: JobTarget) => act('queue:resume', target),
    cancel: (target: JobTarget) => act('queue:cancel', target),
    retry: (target: JobTarget) => act('queue:retry', target),
    groupAction,
    setKeepDoneDays,
    clearFinished: () => clear('queue:clear-finished'),
    clearFailed: () => clear('queue:clear-failed'),
    enqueue,
  }
})
