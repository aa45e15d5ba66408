import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { Bucket, BucketEncryption, ObjectDetails, ObjectPage } from '../../../preload/contract/models'
import type { RestoreTier } from '../../../preload/contract/storage-class-models'
import { useListingOrder } from '../components/browser/listing-order'
import { toUiError, type UiError } from '../errors'
import { baseName } from '../format'
import { useIpc } from '../ipc/inject'
import { type Badge, createBadgeLoader } from './badge-loader'

export type Row =
  | { kind: 'folder'; key: string; name: string }
  | {
      kind: 'object'
      key: string
      name: string
      size: number
      lastModified?: string
      storageClass?: string
      storageClassLabel?: string
      archived?: boolean
    }

const PAGE_SIZE = 1000
const SEP = '\u0000'

function badgeKey(accountId: string, bucket: string, key: string): string {
  return [accountId, bucket, key].join(SEP)
}

/**
 * The bucket browser: the current account's buckets, the open bucket and prefix, its listing page by page
 * (continuation tokens), a filter over what is loaded, the bucket's default encryption, per-object encryption
 * badges fetched only for rows that become visible, and the object whose details are open; the sort order
 * (folders first) and the selection of rows the toolbar and context menu act on.
 */
export const useBrowserStore = defineStore('browser', () => {
  const ipc = useIpc()

  const accountId = ref<string>()
  const buckets = ref<Bucket[]>([])
  const bucketsLoading = ref(false)
  const bucketsError = ref<UiError>()

  const bucket = ref<string>()
  const prefix = ref('')
  const folderRows = shallowRef<Row[]>([])
  const objectRows = shallowRef<Row[]>([])
  const nextToken = ref<string>()
  const pageLoading = ref(false)
  const listError = ref<UiError>()
  const listedOnce = ref(false)
  const filter = ref('')

  const bucketEncryption = ref<BucketEncryption>()
  const bucketEncryptionError = ref<UiError>()

  const selectedKey = ref<string>()
  const details = ref<ObjectDetails>()
  const detailsLoading = ref(false)
  const detailsError = ref<UiError>()
  /** The SSE-C customer key the open object is read with, when it needs one. */
  const detailsCustomerKey = ref<string>()

  /** Set while every remaining page is being loaded (to sort the whole folder). */
  const loadingAll = ref(false)

  // Bumped on every navigation so that answers for a place the user already left are dropped.
  let generation = 0

  const rows = computed<Row[]>(() =>
    folderRows.value.length === 0 ? objectRows.value : [...folderRows.value, ...objectRows.value],
  )
  const visibleRows = computed<Row[]>(() => {
    const needle = filter.value.trim().toLowerCase()
    return needle ? rows.value.filter((row) => row.name.toLowerCase().includes(needle)) : rows.value
  })
  const hasMore = computed(() => nextToken.value !== undefined)
  const order = useListingOrder({ visibleRows, objectRows, hasMore, badgeFor: (key) => badgeFor(key) })
  const crumbs = computed(() => {
    const parts = prefix.value.split('/').filter(Boolean)
    return parts.map((name, i) => ({ name, prefix: `${parts.slice(0, i + 1).join('/')}/` }))
  })

  const badges = createBadgeLoader(async (cacheKey) => {
    const [account, inBucket, key] = cacheKey.split(SEP) as [string, string, string]
    return (await ipc.call('storage:details', { accountId: account, bucket: inBucket, key })).encryption
  })

  function badgeFor(key: string): Badge | undefined {
    if (!accountId.value || !bucket.value) return undefined
    return badges.get(badgeKey(accountId.value, bucket.value, key))
  }

  /** Called with the object keys of the rows on screen. */
  function wantBadges(keys: string[]): void {
    const account = accountId.value
    const inBucket = bucket.value
    if (!account || !inBucket) return
    badges.want(keys.map((key) => badgeKey(account, inBucket, key)))
  }

  async function setAccount(id: string | undefined): Promise<void> {
    if (id === accountId.value) return
    accountId.value = id
    bucket.value = undefined
    buckets.value = []
    resetListing('')
    bucketEncryption.value = undefined
    if (id) await loadBuckets()
  }

  async function loadBuckets(): Promise<void> {
    const id = accountId.value
    if (!id) return
    bucketsLoading.value = true
    try {
      const list = await ipc.call('storage:buckets', id)
      if (id !== accountId.value) return
      buckets.value = list
      bucketsError.value = undefined
    } catch (e) {
      if (id === accountId.value) bucketsError.value = toUiError(e)
    } finally {
      bucketsLoading.value = false
    }
  }

  /** Loads every remaining page (to sort or select the whole folder); stops when the user navigates away. */
  async function loadAll(): Promise<void> {
    if (loadingAll.value) return
    const mine = generation
    loadingAll.value = true
    try {
      while (mine === generation && hasMore.value && !listError.value) {
        // A page the list asked for may be on its way: wait for it rather than skip a token.
        if (pageLoading.value) await new Promise((resolve) => setTimeout(resolve, 50))
        else await loadPage()
      }
    } finally {
      loadingAll.value = false
    }
  }

  function resetListing(nextPrefix: string): void {
    generation++
    order.clearSelection()
    prefix.value = nextPrefix
    folderRows.value = []
    objectRows.value = []
    nextToken.value = undefined
    listError.value = undefined
    listedOnce.value = false
    pageLoading.value = false
    filter.value = ''
    closeDetails()
  }

  async function openBucket(name: string | undefined): Promise<void> {
    bucket.value = name
    bucketEncryption.value = undefined
    bucketEncryptionError.value = undefined
    resetListing('')
    if (!name) return
    void loadBucketEncryption()
    await loadPage()
  }

  async function openPrefix(next: string): Promise<void> {
    resetListing(next)
    await loadPage()
  }

  /** One level up: "a/b/" -> "a/", a bucket's root -> the bucket list (Backspace / Alt+Up in the listing). */
  async function openParent(): Promise<void> {
    if (!bucket.value) return
    if (!prefix.value) return openBucket(undefined)
    const trimmed = prefix.value.slice(0, -1)
    await openPrefix(trimmed.includes('/') ? trimmed.slice(0, trimmed.lastIndexOf('/') + 1) : '')
  }

  /** Lists the open folder again from its first page, keeping the filter and the open details meanwhile. */
  async function refresh(): Promise<void> {
    if (!bucket.value) return loadBuckets()
    void loadBucketEncryption()
    generation++
    nextToken.value = undefined
    pageLoading.value = false
    await loadPage(true)
  }

  async function loadBucketEncryption(): Promise<void> {
    const id = accountId.value
    const name = bucket.value
    if (!id || !name) return
    try {
      const answer = await ipc.call('storage:bucket-encryption', id, name)
      if (name === bucket.value) bucketEncryption.value = answer
    } catch (e) {
      if (name === bucket.value) bucketEncryptionError.value = toUiError(e)
    }
  }

  function appendPage(page: ObjectPage): void {
    const folders = page.folders.map<Row>((key) => ({ kind: 'folder', key, name: baseName(key) }))
    const objects = page.objects
      .filter((o) => o.key !== prefix.value) // the "folder marker" object of the prefix itself
      .map<Row>((o) => ({
        kind: 'object',
        key: o.key,
        name: o.key.slice(prefix.value.length),
        size: o.size,
        lastModified: o.lastModified,
        storageClass: o.storageClass,
        storageClassLabel: o.storageClassLabel,
        archived: o.archived,
      }))
    if (folders.length) {
      folderRows.value.push(...folders)
      triggerRef(folderRows)
    }
    if (objects.length) {
      // push in chunks: spreading 1000 arguments is fine, this keeps it fine for any page size.
      for (let i = 0; i < objects.length; i += 5000) objectRows.value.push(...objects.slice(i, i + 5000))
      triggerRef(objectRows)
    }
  }

  /** Loads the first page, or the next one when the listing is truncated; `replace` swaps in a fresh first page. */
  async function loadPage(replace = false): Promise<void> {
    const id = accountId.value
    const name = bucket.value
    if (!id || !name || pageLoading.value) return
    if (!replace && listedOnce.value && nextToken.value === undefined) return
    const mine = generation
    pageLoading.value = true
    try {
      const page = await ipc.call('storage:list', {
        accountId: id,
        bucket: name,
        prefix: prefix.value,
        continuationToken: nextToken.value,
        pageSize: PAGE_SIZE,
      })
      if (mine !== generation) return
      if (replace) {
        folderRows.value = []
        objectRows.value = []
      }
      appendPage(page)
      nextToken.value = page.nextToken
      listedOnce.value = true
      listError.value = undefined
    } catch (e) {
      if (mine === generation) listError.value = toUiError(e)
    } finally {
      if (mine === generation) pageLoading.value = false
    }
  }

  async function select(key: string, customerKeyName?: string): Promise<void> {
    const id = accountId.value
    const name = bucket.value
    if (!id || !name) return
    selectedKey.value = key
    detailsCustomerKey.value = customerKeyName
    details.value = undefined
    detailsError.value = undefined
    detailsLoading.value = true
    try {
      const answer = await ipc.call('storage:details', {
        accountId: id,
        bucket: name,
        key,
        ...(customerKeyName ? { sseCustomerKeyName: customerKeyName } : {}),
      })
      if (selectedKey.value !== key) return
      details.value = answer
      badges.put(badgeKey(id, name, key), { state: 'known', encryption: answer.encryption })
    } catch (e) {
      if (selectedKey.value === key) detailsError.value = toUiError(e)
    } finally {
      if (selectedKey.value === key) detailsLoading.value = false
    }
  }

  function closeDetails(): void {
    selectedKey.value = undefined
    details.value = undefined
    detailsError.value = undefined
    detailsLoading.value = false
    detailsCustomerKey.value = undefined
  }

  function objectRef() {
    if (!accountId.value || !bucket.value || !selectedKey.value) throw new Error('No object is open.')
    return {
      accountId: accountId.value,
      bucket: bucket.value,
      key: selectedKey.value,
      ...(detailsCustomerKey.value ? { sseCustomerKeyName: detailsCustomerKey.value } : {}),
    }
  }

  function share(expiresInSeconds: number) {
    return ipc.call('storage:share', { ...objectRef(), expiresInSeconds })
  }

  /** Restores the open archived object for N days, then shows the state the server answers. */
  async function restore(days: number, tier: RestoreTier) {
    const { accountId: account, bucket: inBucket, key } = objectRef()
    const result = await ipc.call('storage:restore', {
      accountId: account,
      bucket: inBucket,
      key,
      days,
      tier,
    })
    if (details.value && selectedKey.value === key)
      details.value = { ...details.value, archive: result.archive }
    return result
  }

  // Buckets of any account, for forms that pick one (watched folders); cached per account.
  const bucketCache = new Map<string, Promise<Bucket[]>>()
  function bucketsOf(id: string): Promise<Bucket[]> {
    let cached = bucketCache.get(id)
    if (!cached) {
      cached = ipc.call('storage:buckets', id)
      cached.catch(() => bucketCache.delete(id))
      bucketCache.set(id, cached)
    }
    return cached
  }

  return {
    accountId,
    buckets,
    bucketsLoading,
    bucketsError,
    bucket,
    prefix,
    rows,
    visibleRows,
    ...order,
    loadAll,
    loadingAll,
    filter,
    hasMore,
    pageLoading,
    listError,
    listedOnce,
    crumbs,
    bucketEncryption,
    bucketEncryptionError,
    selectedKey,
    details,
    detailsLoading,
    detailsError,
    detailsCustomerKey,
    badgeFor,
    wantBadges,
    setAccount,
    loadBuckets,
    openBucket,
    openPrefix,
    openParent,
    refresh,
    loadPage,
    select,
    closeDetails,
    share,
    restore,
    bucketsOf,
  }
})
