import { arch, homedir, platform } from 'node:os'
import { join } from 'node:path'
import { bucketDefaultChoice } from '../preload/contract/bucket-default'
import type { EventPayload, Events } from '../preload/contract/events'
import { kmsKeyMatches } from '../preload/contract/kms-key-reference'
import type { AppInfo } from '../preload/contract/models'
import type { StatusSummary } from '../preload/contract/queue-models'
import { MAX_REQUEST_LIMIT } from '../preload/contract/queue-settings'
import type { ActivityExtra } from '../preload/contract/sync-models'
import { type AccountService, createAccountService } from './core/accounts/account-service'
import { createAccountStore } from './core/accounts/account-store'
import { withProxyCredentialMigration } from './core/accounts/proxy-migration'
import { APP_NAME, APP_VERSION } from './core/app-meta'
import { createKeytarStore } from './core/credentials/keytar-store'
import type { SecretStore } from './core/credentials/secret-store'
import { prepareDataDir } from './core/data-files'
import { createDownloadQueue, type DownloadQueue } from './core/downloads/download-queue'
import { createDropInbox, type DropInbox } from './core/drops/drop-inbox'
import { createCustomerKeys } from './core/encryption/customer-keys'
import { createEventBus, type EventBus } from './core/events/event-bus'
import { createKmsPickerSource, type KmsPickerSource } from './core/kms/picker-source'
import { createFolderBrowser } from './core/local/folder-browser'
import { createJobStore } from './core/queue/job-store'
import { openQueueDatabase } from './core/queue/queue-db'
import { holdQueue } from './core/queue/queue-owner'
import { connectionPoolSize } from './core/queue/transfer-slots'
import { createUploadQueue, type UploadQueue } from './core/queue/upload-queue'
import { type AppSettings, createAppSettings } from './core/settings/app-settings'
import { type NetworkTimeouts, parseNetworkTimeouts } from './core/storage/network-watchdog'
import { createS3Client } from './core/storage/s3-client'
import { createStorageService, type StorageService } from './core/storage/storage-service'
import { createActivityLog } from './core/sync/activity-log'
import { folderProblem } from './core/sync/folder-problem'
import { createPairStore } from './core/sync/pair-store'
import { openStateDb } from './core/sync/state-db'
import { createSyncService, type SyncService } from './core/sync/sync-service'
import { type ContractClient, createInProcessClient } from './ipc/contract-client'
import { createDispatch, type Dispatch } from './ipc/dispatch'
import { createHandlers, type NativeFolderPicker } from './ipc/handlers'
import type { TransferRouteDeps } from './server/transfer-routes'

/** The version every shell reports. */
export { APP_VERSION } from './core/app-meta'
/** Where a shell's data folder is (its option, OBS_SYNC_HOME, or the OS app-data folder). */
export { resolveDataDir } from './core/data-dir'

export type EventMap = { [E in keyof Events]: EventPayload<E> }

export interface AppServices {
  dataDir: string
  bus: EventBus<EventMap>
  accounts: AccountService
  secrets: SecretStore
  queue: UploadQueue
  sync: SyncService
  downloads: DownloadQueue
  /** Files dropped into the web UI, staged in the data folder and queued from there. */
  drops: DropInbox
  storage: StorageService
  kms: KmsPickerSource
  /** App-wide preferences main needs too (the language of the menu, tray and notifications). */
  settings: AppSettings
  dispatch: Dispatch
  /** The contract in-process (the same dispatch and events): how the CLI and core helpers call a channel. */
  client: ContractClient
  /** The web UI's byte transfers (object downloads, dropped files), which stream instead of a channel call. */
  transfers: TransferRouteDeps
  /** Starts the queue workers and the watched folders (each catches up first). */
  start(): Promise<void>
  /** Starts the queue workers only (CLI commands that upload without running the watched folders). */
  startQueue(): void
  /** Stops watchers and workers cleanly: running uploads go back to the queue with their state saved. */
  shutdown(): Promise<void>
  /** Sends the events still gathered (activity lines) at once: a shell calls it before it stops listening. */
  flushEvents(): void
}

export interface ServiceOptions {
  dataDir: string
  host: AppInfo['host']
  log?: (message: string, error?: unknown) => void
  secrets?: SecretStore
  concurrency?: number
  bandwidthBytesPerSecond?: number
  settleMs?: number
  /** Handshake, first-byte and progress limits; default: OBS_SYNC_TIMEOUTS, else network-watchdog.ts's. */
  networkTimeouts?: Partial<NetworkTimeouts>
  /** The folder the web UI's folder picker may not leave (default: the user's home). */
  browseRoot?: string
  /** The desktop app's native folder dialog. */
  pickFolder?: NativeFolderPicker
}

/**
 * Builds the core services and the contract handlers once, for whichever composition root runs them
 * (Electron, the headless web UI, the CLI). Everything is created here and handed down: no singletons.
 */
export function createAppServices(options: ServiceOptions): AppServices {
  const log = options.log ?? ((message, error) => console.error(message, error ?? ''))
  // Created owner-only before any data file; an existing folder open to other users is reported, not fatal.
  const dataDirWarning = prepareDataDir(options.dataDir)
  if (dataDirWarning) log(dataDirWarning[0])
  const bus = createEventBus<EventMap>((error) => log('An event listener failed', error))
  const secrets = options.secrets ?? createKeytarStore()
  const store = withProxyCredentialMigration(createAccountStore(options.dataDir), secrets)
  const timeouts = options.networkTimeouts ?? parseNetworkTimeouts(process.env.OBS_SYNC_TIMEOUTS)
  const accounts = createAccountService({
    store,
    secrets,
    connect: (account, credentials) =>
      // Sized for the highest request limit: the user may raise it while the app runs (an account's client is
      // cached), and sockets open only when requests need them.
      createS3Client(account, credentials, { timeouts, maxSockets: connectionPoolSize(MAX_REQUEST_LIMIT) }),
    onListenerError: (error) => log('A listener of account changes failed', error),
  })
  // Announced by the account service once the account's cached connection is gone (account-service.ts): a window
  // that reloads on this event already gets the new settings. The KMS picker needs no cache drop: it builds the key
  // directory from the account's current settings and secret on every listing (picker-source.ts).
  accounts.onChange((change) => bus.emit('accounts:changed', change.accounts))
  const customerKeys = createCustomerKeys(secrets)
  const kms = createKmsPickerSource({ accounts: store, secrets })
  const storage = createStorageService({
    accounts,
    customerKeys,
    kmsAlias: async (accountId, keyId) => {
      const listing = await kms.listing(accountId)
      return listing.keys.find((k) => kmsKeyMatches(k, keyId))?.alias
    },
    onDeleteProgress: (progress) => bus.emit('storage:delete-progress', progress),
  })
  const activity = createActivityLog((lines) => bus.emit('activity', lines))
  if (dataDirWarning) activity.add('warning', ...dataDirWarning)
  const pairs = createPairStore(options.dataDir)
  let watchedFolders: StatusSummary['watchedFolders'] = []

  const queuePath = join(options.dataDir, 'queue.db')
  // A damaged queue or state DB is set aside and replaced at start; the user is told here and in the activity log.
  const dbRecovery = {
    onSetAside: (message: string, extra: ActivityExtra) => {
      log(message)
      activity.add('error', message, extra)
    },
  }
  const jobStore = createJobStore(openQueueDatabase(queuePath, dbRecovery), {
    onCommitError: (error) => {
      log('The upload queue could not save its latest changes', error)
      // Those jobs are put back and run again once the queue can be written (a full disk).
      queue.writeFailed(error)
    },
  })
  const stateDb = openStateDb(join(options.dataDir, 'state.db'), dbRecovery)
  const queue = createUploadQueue({
    store: jobStore,
    client: (id) => accounts.client(id),
    customerKey: (id, name) => customerKeys.material(id, name),
    bucketDefault: async (accountId, bucket) =>
      bucketDefaultChoice(await storage.bucketEncryption(accountId, bucket)),
    kmsKeys: async (accountId) => (await kms.listing(accountId)).keys,
    events: {
      jobs: (jobs) => bus.emit('queue:jobs', jobs),
      removed: (ids) => bus.emit('queue:removed', ids),
      counts: (counts) => bus.emit('queue:counts', counts),
      progress: (events) => bus.emit('queue:progress', events),
      status: (status) => bus.emit('status:changed', status),
      settings: (settings) => bus.emit('queue:settings', settings),
    },
    watchedFolders: () => watchedFolders,
    hold: () => holdQueue(queuePath),
    concurrency: options.concurrency,
    bandwidth: options.bandwidthBytesPerSecond,
    // The CLI and the tests that wait for uploads read their lines as soon as the wait ends.
    beforeWaitEnds: () => activity.flush(),
    log,
  })
  // An edited account's held jobs are tried again at once with its new settings and secret.
  accounts.onChange((change) => {
    if (change.kind === 'updated') queue.releaseAccount(change.accountId)
  })
  queue.onFinished((job, outcome) => activity.uploadFinished(job, outcome))

  const sync = createSyncService({
    pairs,
    client: (id) => accounts.client(id),
    queue,
    state: stateDb,
    settleMs: options.settleMs ?? 1500,
    activity: (level, message, syncPairId, extra) => activity.add(level, message, { syncPairId, ...extra }),
    onStatus: (status) => bus.emit('sync:status', status),
    onJobFinished: (listener) => queue.onFinished(listener),
    accountOf: (id) => store.get(id),
  })
  async function refreshWatchedFolders(): Promise<void> {
    watchedFolders = (await sync.list()).map(({ pair, status }) => {
      const problem = folderProblem(status)
      return { id: pair.id, localPath: pair.localPath, paused: pair.paused, ...(problem ? { problem } : {}) }
    })
    queue.refreshStatus()
  }
  bus.on('sync:status', () => void refreshWatchedFolders().catch(() => {}))

  const downloads = createDownloadQueue({
    client: (id) => accounts.client(id),
    customerKey: (id, name) => customerKeys.params(id, name),
    events: {
      batch: (batch) => bus.emit('downloads:batch', batch),
      progress: (events) => bus.emit('downloads:progress', events),
    },
    log,
  })

  const appInfo = (): AppInfo => ({
    name: APP_NAME,
    version: APP_VERSION,
    host: options.host,
    platform: `${platform()}-${arch()}`,
    nodeVersion: process.versions.node,
    dataDir: options.dataDir,
  })
  const settings = createAppSettings({
    dataDir: options.dataDir,
    onLocaleChange: (preference) => bus.emit('settings:locale', preference),
  })
  const handlers = createHandlers({
    appInfo,
    settings,
    accounts,
    storage,
    kms,
    customerKeys,
    queue,
    sync,
    activity,
    downloads,
    folders: createFolderBrowser(options.browseRoot ?? homedir()),
    pickFolder: options.pickFolder,
  })
  const dispatch = createDispatch(handlers, (error) => log('A request failed unexpectedly', error))
  const client = createInProcessClient(dispatch, (event, listener) => bus.on(event, listener))
  const drops = createDropInbox({
    dir: join(options.dataDir, 'drops'),
    // Queued through the contract, with the same validation as the upload dialog's request.
    enqueue: (request) => client.call('queue:enqueue', request),
  })
  queue.onKept((paths) => {
    for (const path of paths) void drops.release(path).catch((e) => log('A dropped file was not removed', e))
  })
  queue.onFinished((job, outcome) => {
    if (outcome !== 'failed')
      void drops.release(job.sourcePath).catch((e) => log('A dropped file was not removed', e))
  })

  return {
    dataDir: options.dataDir,
    bus,
    accounts,
    secrets,
    queue,
    sync,
    downloads,
    drops,
    storage,
    kms,
    settings,
    dispatch,
    client,
    transfers: {
      openObject: (ref, signal) => storage.open(ref, signal),
      receiveDrop: (file, body) => drops.receive(file, body),
    },
    startQueue() {
      queue.start()
    },
    flushEvents: () => activity.flush(),
    async start() {
      await refreshWatchedFolders()
      queue.start()
      // Dropped files whose upload ended while no process was there to remove them (killed, crashed).
      const needed = new Set(
        queue
          .list()
          .filter((job) => job.state !== 'done' && job.state !== 'cancelled')
          .map((job) => job.sourcePath),
      )
      const swept = await drops.sweep(needed).catch((e) => {
        log('Old dropped files were not removed', e)
        return 0
      })
      if (swept) log(`${swept} dropped file(s) no upload needs any more were removed`)
      await sync.startAll()
    },
    async shutdown() {
      downloads.stop()
      await sync.stopAll()
      await queue.stop()
      activity.flush()
      accounts.close()
      jobStore.close()
      stateDb.close()
    },
  }
}
