import type {
  DownloadBatch,
  DownloadBatchState,
  DownloadRequest,
  OnExistsPolicy,
} from '../../../preload/contract/download-models'
import type { IpcError } from '../../../preload/contract/errors'
import type { ControlConnection } from '../storage/s3-client'
import type { PlannedObject } from './plan-download'

export type ItemState =
  | 'queued'
  | 'running'
  | 'retrying'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'cancelled'
  | 'needs-key'
  | 'clash'

export interface Item {
  object: PlannedObject
  state: ItemState
  bytesDone: number
  attempts: number
  path?: string
  error?: IpcError
  abort?: AbortController
}

/** A batch as the download queue keeps it in memory. */
export interface Batch {
  id: number
  request: DownloadRequest
  /** The account's connection: its listing plans the batch, its SDK client fetches the objects. */
  connection: ControlConnection
  endpoint: string
  state: DownloadBatchState
  /** False while the selection is still being listed. */
  planned: boolean
  listed: number
  items: Item[]
  bytes: number
  keyNames: string[]
  onExists: OnExistsPolicy
  error?: IpcError
  createdAt: string
}

const MAX_FAILURES_SHOWN = 20

export function newBatch(
  id: number,
  request: DownloadRequest,
  connection: ControlConnection,
  endpoint: string,
): Batch {
  return {
    id,
    request,
    connection,
    endpoint,
    state: 'listing',
    planned: false,
    listed: 0,
    items: [],
    bytes: 0,
    keyNames: [...(request.sseCustomerKeyNames ?? [])],
    onExists: request.onExists ?? 'ask',
    createdAt: new Date().toISOString(),
  }
}

/** The batch as the contract shows it: counts, bytes, the questions it waits for, and the first failures. */
export function summarise(batch: Batch): DownloadBatch {
  const count = (state: ItemState) => batch.items.filter((i) => i.state === state).length
  const failures = batch.items
    .filter((i) => i.state === 'failed')
    .slice(0, MAX_FAILURES_SHOWN)
    .map((i) => ({ key: i.object.key, outcome: 'failed' as const, error: i.error }))
  return {
    id: batch.id,
    accountId: batch.request.accountId,
    bucket: batch.request.bucket,
    targetDir: batch.request.targetDir,
    keys: batch.request.keys,
    state: batch.state,
    files: batch.planned ? batch.items.length : batch.listed,
    filesDone: count('done'),
    filesSkipped: count('skipped'),
    filesFailed: count('failed'),
    bytes: batch.bytes,
    bytesDone: batch.items.reduce((sum, i) => sum + i.bytesDone, 0),
    needsCustomerKey: count('needs-key'),
    clashes: count('clash'),
    clashExamples: batch.items
      .filter((i) => i.state === 'clash')
      .slice(0, MAX_FAILURES_SHOWN)
      .map((i) => i.object.localName),
    failures,
    error: batch.error,
    createdAt: batch.createdAt,
  }
}
