import type {
  DownloadAnswer,
  DownloadBatch,
  DownloadProgress,
  DownloadRequest,
} from '../../../preload/contract/download-models'
import type { Account } from '../../../preload/contract/models'
import type { SseReadParams } from '../encryption/sse-headers'
import { errorPolicy } from '../error-policy'
import { AppError, toIpcError } from '../errors'
import { backoffDelayMs } from '../queue/backoff'
import { createProgressMeter } from '../queue/progress-meter'
import { downloadObject } from '../storage/download-object'
import type { ControlConnection } from '../storage/s3-client'
import { assertAbsoluteTarget } from '../storage/safe-path'
import { type Batch, type Item, newBatch, summarise } from './download-batch'
import { type DownloadFunction, type FetchContext, fetchObject } from './fetch-object'
import { planDownload } from './plan-download'

export interface DownloadQueueOptions {
  client(accountId: string): Promise<{ account: Account } & ControlConnection>
  /** SSE-C request parameters of a customer key kept in the keychain (throws if there is no such key). */
  customerKey(accountId: string, name: string): Promise<SseReadParams>
  events: { batch(batch: DownloadBatch): void; progress(events: DownloadProgress[]): void }
  /** The one streaming download of one object (injected so the queue's policy is testable without a server). */
  download?: DownloadFunction
  concurrency?: number
  /** Where unexpected errors (bugs) go; the user sees only that something went wrong. */
  log?: (message: string, error?: unknown) => void
  /** Attempts of an object that fails with a retryable error (network, 5xx) before it counts as failed. */
  maxAttempts?: number
  retryDelayMs?: (attempt: number) => number
}

/**
 * Downloads of selections and folders: each request becomes a batch of objects, run by a bounded number of
 * workers across batches, with byte progress (rate and ETA, at most ~10 events/s per batch), pause, resume and
 * cancel. Questions are asked once per batch: which SSE-C key reads the objects that need one, and what to do
 * with files that already exist. Batches live in memory: a download interrupted by a restart is started again.
 */
export function createDownloadQueue(options: DownloadQueueOptions) {
  const download = options.download ?? downloadObject
  const concurrency = options.concurrency ?? 4
  const maxAttempts = options.maxAttempts ?? 3
  const retryDelay = options.retryDelayMs ?? ((attempt: number) => backoffDelayMs(attempt))
  const batches = new Map<number, Batch>()
  let nextId = 1
  let running = 0
  const waiters = new Set<() => void>()
  const meter = createProgressMeter((events) =>
    options.events.progress(
      events.map((e) => ({
        batchId: e.jobId,
        bytesDone: e.bytesDone,
        bytes: e.size,
        bytesPerSecond: e.bytesPerSecond,
        etaSeconds: e.etaSeconds,
      })),
    ),
  )

  function changed(batch: Batch): void {
    settleState(batch)
    options.events.batch(summarise(batch))
    for (const wake of waiters) wake()
  }

  /** A batch with nothing left to run is done, failed, or waiting for an answer. */
  function settleState(batch: Batch): void {
    if (!batch.planned || batch.state === 'paused' || batch.state === 'cancelled') return
    const states = batch.items.map((i) => i.state)
    if (states.some((s) => s === 'queued' || s === 'running' || s === 'retrying')) {
      batch.state = 'running'
    } else if (states.some((s) => s === 'needs-key' || s === 'clash')) {
      batch.state = 'waiting'
    } else {
      batch.state = batch.error || states.some((s) => s === 'failed') ? 'failed' : 'done'
      meter.finish(batch.id)
    }
  }

  function reportBytes(batch: Batch): void {
    const done = batch.items.reduce((sum, i) => sum + i.bytesDone, 0)
    meter.report(batch.id, done, batch.bytes)
  }

  function nextItem(): { batch: Batch; item: Item } | undefined {
    for (const batch of batches.values()) {
      if (batch.state !== 'running' && batch.state !== 'waiting') continue
      const item = batch.items.find((i) => i.state === 'queued')
      if (item) return { batch, item }
    }
    return undefined
  }

  function pump(): void {
    while (running < concurrency) {
      const next = nextItem()
      if (!next) return
      running++
      void runItem(next.batch, next.item).finally(() => {
        running--
        pump()
      })
    }
  }

  function fetchContext(batch: Batch, item: Item, signal: AbortSignal): FetchContext {
    return {
      s3: batch.connection.s3,
      bucket: batch.request.bucket,
      targetDir: batch.request.targetDir,
      errorContext: { endpoint: batch.endpoint, bucket: batch.request.bucket },
      download,
      customerKeys: () => batch.keyNames,
      keyParams: (name) => options.customerKey(batch.request.accountId, name),
      keyWorked: (name) => {
        batch.keyNames = [name, ...batch.keyNames.filter((k) => k !== name)]
      },
      onExists: batch.onExists,
      signal,
      onProgress: (bytes) => {
        item.bytesDone = bytes
        reportBytes(batch)
      },
    }
  }

  async function runItem(batch: Batch, item: Item): Promise<void> {
    const abort = new AbortController()
    item.abort = abort
    item.state = 'running'
    item.attempts++
    changed(batch)
    try {
      const outcome = await fetchObject(fetchContext(batch, item, abort.signal), item.object)
      if (outcome.kind === 'downloaded') Object.assign(item, { state: 'done', path: outcome.path })
      else if (outcome.kind === 'skipped') Object.assign(item, { state: 'skipped', path: outcome.path })
      else if (outcome.kind === 'clash') item.state = 'clash'
      else item.state = 'needs-key'
      if (outcome.kind !== 'downloaded') item.bytesDone = 0
      else item.bytesDone = item.object.size
    } catch (error) {
      item.bytesDone = 0
      if (abort.signal.aborted) {
        // Paused: the object starts again later; cancelled: it stays cancelled.
        if (item.state === 'running') item.state = batch.state === 'cancelled' ? 'cancelled' : 'queued'
      } else {
        const ipcError = toIpcError(error)
        if (ipcError.code === 'INTERNAL') options.log?.(`Downloading ${item.object.key} failed`, error)
        item.error = ipcError
        // A full target disk is not retried by itself (the upload queue retries DISK_FULL: there it is its own
        // DB that could not be written, not the bytes): downloading again only fills it again; the user frees
        // space and starts the download again.
        const retry = errorPolicy(ipcError.code) === 'retry' && ipcError.code !== 'DISK_FULL'
        if (retry && item.attempts < maxAttempts) {
          item.state = 'retrying'
          setTimeout(() => {
            if (item.state !== 'retrying') return
            item.state = 'queued'
            changed(batch)
            pump()
          }, retryDelay(item.attempts)).unref?.()
        } else {
          item.state = 'failed'
        }
      }
    } finally {
      item.abort = undefined
      reportBytes(batch)
      changed(batch)
    }
  }

  async function plan(batch: Batch): Promise<void> {
    try {
      const planned = await planDownload(
        batch.connection,
        batch.request.bucket,
        batch.request.keys,
        { endpoint: batch.endpoint },
        (count) => {
          batch.listed = count
          options.events.batch(summarise(batch))
        },
      )
      batch.items = planned.objects.map((object) => ({ object, state: 'queued', bytesDone: 0, attempts: 0 }))
      for (const key of planned.missing) {
        batch.items.push({
          object: { key, localName: key, size: 0 },
          state: 'failed',
          bytesDone: 0,
          attempts: 0,
          error: {
            code: 'NOT_FOUND',
            message: `There is no object "${key}" in ${batch.request.bucket}.`,
            params: { key, bucket: batch.request.bucket },
          },
        })
      }
      batch.bytes = planned.objects.reduce((sum, o) => sum + o.size, 0)
      if (batch.state === 'cancelled') {
        for (const item of batch.items) if (item.state === 'queued') item.state = 'cancelled'
      }
      if (batch.state === 'listing') batch.state = 'running'
    } catch (error) {
      batch.error = toIpcError(error)
      if (batch.error.code === 'INTERNAL') options.log?.('Listing a download failed', error)
      if (batch.state !== 'cancelled') batch.state = 'failed'
    }
    batch.planned = true
    changed(batch)
    pump()
  }

  function batchOf(id: number): Batch {
    const batch = batches.get(id)
    if (!batch)
      throw new AppError('NOT_FOUND', `There is no download #${id}.`, {
        params: { cause: 'downloadGone', id },
      })
    return batch
  }

  function abortRunning(batch: Batch): void {
    for (const item of batch.items) item.abort?.abort()
  }

  function cancel(id: number): void {
    const batch = batchOf(id)
    if (['done', 'failed', 'cancelled'].includes(batch.state)) return
    batch.state = 'cancelled'
    for (const item of batch.items) {
      if (!['done', 'skipped', 'failed'].includes(item.state)) item.state = 'cancelled'
    }
    abortRunning(batch)
    meter.finish(batch.id)
    changed(batch)
  }

  return {
    /** Lists what the selection holds, then downloads it in the background; returns the new batch at once. */
    async start(request: DownloadRequest): Promise<DownloadBatch> {
      assertAbsoluteTarget(request.targetDir)
      const { account, ...connection } = await options.client(request.accountId)
      for (const name of request.sseCustomerKeyNames ?? []) await options.customerKey(request.accountId, name)
      const batch = newBatch(nextId++, request, connection, account.endpoint)
      batches.set(batch.id, batch)
      options.events.batch(summarise(batch))
      void plan(batch)
      return summarise(batch)
    },
    list(): DownloadBatch[] {
      return [...batches.values()].map(summarise)
    },
    get(id: number): DownloadBatch {
      return summarise(batchOf(id))
    },
    pause(id: number): void {
      const batch = batchOf(id)
      if (['done', 'failed', 'cancelled'].includes(batch.state)) return
      batch.state = 'paused'
      abortRunning(batch)
      changed(batch)
    },
    resume(id: number): void {
      const batch = batchOf(id)
      if (batch.state !== 'paused') return
      batch.state = batch.planned ? 'running' : 'listing'
      changed(batch)
      pump()
    },
    cancel,
    /** The one answer a waiting batch needs: an SSE-C key to try, or the rule for existing files. */
    async answer(id: number, answer: DownloadAnswer): Promise<DownloadBatch> {
      const batch = batchOf(id)
      if (answer.kind === 'customer-key') {
        await options.customerKey(batch.request.accountId, answer.keyName)
        batch.keyNames = [answer.keyName, ...batch.keyNames.filter((k) => k !== answer.keyName)]
        for (const item of batch.items) if (item.state === 'needs-key') item.state = 'queued'
      } else {
        batch.onExists = answer.choice
        for (const item of batch.items) if (item.state === 'clash') item.state = 'queued'
      }
      changed(batch)
      pump()
      return summarise(batch)
    },
    clearFinished(): void {
      for (const [id, batch] of batches) {
        if (['done', 'failed', 'cancelled'].includes(batch.state)) batches.delete(id)
      }
    },
    /** Resolves when the batch is finished, or waits for an answer (which a script cannot give). */
    waitFor(id: number): Promise<DownloadBatch> {
      return new Promise((resolve) => {
        const check = () => {
          const batch = batchOf(id)
          if (['done', 'failed', 'cancelled', 'waiting'].includes(batch.state)) {
            waiters.delete(check)
            resolve(summarise(batch))
          }
        }
        waiters.add(check)
        check()
      })
    },
    /** Cancels every batch (app shutdown); files already complete stay, partial files are removed. */
    stop(): void {
      for (const batch of batches.values()) cancel(batch.id)
      meter.stop()
    },
  }
}

export type DownloadQueue = ReturnType<typeof createDownloadQueue>
