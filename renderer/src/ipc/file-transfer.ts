import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type { EncryptionChoice } from '../../../preload/contract/models'
import type { EnqueueResult } from '../../../preload/contract/queue-models'
import { IpcCallError } from './client'

/**
 * The web UI's byte transfers, which go over plain HTTP to the local server rather than the WebSocket (the token
 * travels in the session cookie the server set): an object saved by the browser, and a file dropped into the
 * browser window streamed to the server's upload queue.
 */

export interface ObjectLink {
  accountId: string
  bucket: string
  key: string
  /** The NAME of an SSE-C key in the keychain; the key itself never leaves the server. */
  sseCustomerKeyName?: string
}

/** Address that makes the browser download the object (the server streams it as an attachment). */
export function objectDownloadUrl(ref: ObjectLink): string {
  const query = new URLSearchParams({ account: ref.accountId, bucket: ref.bucket, key: ref.key })
  if (ref.sseCustomerKeyName) query.set('sseKey', ref.sseCustomerKeyName)
  return `/api/object?${query}`
}

export interface DropTarget {
  accountId: string
  bucket: string
  prefix: string
  encryption?: EncryptionChoice
  storageClass?: string
  onExists?: OnExistsPolicy
}

/**
 * Streams one dropped file to the server, which stages it and queues its upload (with `encryption`, or the
 * bucket's default when absent). `onProgress` gets the bytes sent so far. Resolves with the queued job ids.
 */
export function uploadDroppedFile(
  file: File,
  target: DropTarget,
  onProgress: (sent: number) => void = () => {},
): Promise<EnqueueResult> {
  const query = new URLSearchParams({
    account: target.accountId,
    bucket: target.bucket,
    prefix: target.prefix,
    name: file.name,
  })
  if (target.storageClass) query.set('storageClass', target.storageClass)
  if (target.onExists) query.set('onExists', target.onExists)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/api/drop?${query}`)
    if (target.encryption) {
      xhr.setRequestHeader('X-OBS-Sync-Encryption', encodeURIComponent(JSON.stringify(target.encryption)))
    }
    xhr.upload.onprogress = (event) => onProgress(event.loaded)
    xhr.onerror = () =>
      reject(new IpcCallError({ code: 'NETWORK', message: `"${file.name}" could not be sent to OBS Sync.` }))
    xhr.onload = () => {
      try {
        const answer = JSON.parse(xhr.responseText)
        if (answer.ok) resolve(answer.value as EnqueueResult)
        else reject(new IpcCallError(answer.error))
      } catch {
        reject(new IpcCallError({ code: 'INTERNAL', message: `OBS Sync answered HTTP ${xhr.status}.` }))
      }
    }
    xhr.send(file)
  })
}
