import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  BucketDefaultChoice,
  CreateBucketResult,
  DeletePlan,
  DeleteProgress,
  DeleteResult,
  DeleteTargets,
} from '../../../preload/contract/browser-models'
import type { BucketEncryption } from '../../../preload/contract/models'
import { useIpc } from '../ipc/inject'
import { useBrowserStore } from './browser'

/** The dialog of the browser that is open, if any (toolbar, context menu and keys open them). */
export type BrowserDialog =
  | { kind: 'delete'; targets: DeleteTargets }
  | { kind: 'new-folder' }
  | { kind: 'new-bucket' }
  | { kind: 'bucket-encryption' }
  /** Objects and folders (prefixes ending in `/`) to download through the download queue. */
  | { kind: 'download'; keys: string[] }

let operations = 0

/**
 * What the bucket browser changes on the server: deleting objects and folders, creating folders and buckets,
 * setting and removing a bucket's default encryption. Each refreshes what the browser shows afterwards.
 */
export const useBucketOpsStore = defineStore('bucket-ops', () => {
  const ipc = useIpc()
  const browser = useBrowserStore()
  /** The running delete's progress, as main reports it batch by batch. */
  const deleteProgress = ref<DeleteProgress>()
  const dialog = ref<BrowserDialog>()

  function where(): { accountId: string; bucket: string } {
    if (!browser.accountId || !browser.bucket) throw new Error('No bucket is open.')
    return { accountId: browser.accountId, bucket: browser.bucket }
  }

  function planDelete(targets: DeleteTargets): Promise<DeletePlan> {
    return ipc.call('storage:delete-plan', { ...where(), ...targets })
  }

  async function runDelete(targets: DeleteTargets): Promise<DeleteResult> {
    const operationId = `delete-${Date.now()}-${++operations}`
    deleteProgress.value = { operationId, deleted: 0, failed: 0, done: false }
    const stop = ipc.on('storage:delete-progress', (progress) => {
      if (progress.operationId === operationId) deleteProgress.value = progress
    })
    try {
      return await ipc.call('storage:delete', { ...where(), ...targets, operationId })
    } finally {
      stop()
      browser.clearSelection()
      if (browser.selectedKey && targets.keys.includes(browser.selectedKey)) browser.closeDetails()
      void browser.refresh()
    }
  }

  async function createFolder(name: string): Promise<string> {
    const { key } = await ipc.call('storage:create-folder', { ...where(), prefix: browser.prefix, name })
    void browser.refresh()
    return key
  }

  async function createBucket(name: string, encryption?: BucketDefaultChoice): Promise<CreateBucketResult> {
    if (!browser.accountId) throw new Error('No account is open.')
    const result = await ipc.call('storage:create-bucket', {
      accountId: browser.accountId,
      name,
      ...(encryption ? { encryption } : {}),
    })
    void browser.loadBuckets()
    return result
  }

  async function setBucketEncryption(choice: BucketDefaultChoice): Promise<BucketEncryption> {
    const { accountId, bucket } = where()
    const state = await ipc.call('storage:set-bucket-encryption', accountId, bucket, choice)
    browser.bucketEncryption = state
    return state
  }

  async function removeBucketEncryption(): Promise<BucketEncryption> {
    const { accountId, bucket } = where()
    const state = await ipc.call('storage:remove-bucket-encryption', accountId, bucket)
    browser.bucketEncryption = state
    return state
  }

  return {
    dialog,
    deleteProgress,
    planDelete,
    runDelete,
    createFolder,
    createBucket,
    setBucketEncryption,
    removeBucketEncryption,
  }
})
