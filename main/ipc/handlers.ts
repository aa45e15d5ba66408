import type { ChannelArgs, ChannelName, ChannelResult } from '../../preload/contract/channels'
import type { AppInfo } from '../../preload/contract/models'
import type { Activity } from '../../preload/contract/sync-models'
import type { AccountService } from '../core/accounts/account-service'
import type { DownloadQueue } from '../core/downloads/download-queue'
import type { CustomerKeys } from '../core/encryption/customer-keys'
import type { KeyPickerListing } from '../core/kms/picker-source'
import type { FolderBrowser } from '../core/local/folder-browser'
import type { UploadQueue } from '../core/queue/upload-queue'
import type { AppSettings } from '../core/settings/app-settings'
import type { StorageService } from '../core/storage/storage-service'
import type { SyncService } from '../core/sync/sync-service'
import { accountHandlers } from './handlers/accounts'
import { command } from './handlers/command'
import { downloadHandlers } from './handlers/downloads'
import { localHandlers } from './handlers/local'
import { queueHandlers } from './handlers/queue'
import { storageHandlers } from './handlers/storage'
import { syncHandlers } from './handlers/sync'

/** One function per contract channel; TypeScript insists every channel has one. */
export type Handlers = {
  [C in ChannelName]: (...args: ChannelArgs<C>) => Promise<ChannelResult<C>>
}

/** The narrow services the handlers need, built by a composition root (Electron, web UI, tests). */
export interface HandlerDeps {
  appInfo: () => AppInfo
  settings: AppSettings
  accounts: Pick<
    AccountService,
    'list' | 'add' | 'update' | 'remove' | 'test' | 'setManualKmsKeys' | 'client'
  >
  storage: StorageService
  kms: { listing(accountId: string): Promise<KeyPickerListing> }
  customerKeys: Pick<CustomerKeys, 'list' | 'create' | 'delete' | 'import' | 'export'>
  queue: Pick<
    UploadQueue,
    | 'enqueue'
    | 'answerClashes'
    | 'page'
    | 'problemGroups'
    | 'groupAction'
    | 'history'
    | 'setKeepDoneDays'
    | 'requestLimit'
    | 'setRequestLimit'
    | 'bandwidthLimit'
    | 'setBandwidthLimit'
    | 'pause'
    | 'resume'
    | 'cancel'
    | 'retry'
    | 'clearFinished'
    | 'clearFailed'
    | 'status'
    | 'whenEnded'
    | 'outcomeOf'
    | 'pendingIds'
    | 'counts'
  >
  sync: Pick<
    SyncService,
    | 'list'
    | 'add'
    | 'update'
    | 'pause'
    | 'resume'
    | 'remove'
    | 'confirmAndReconcile'
    | 'remoteChanges'
    | 'runOnce'
    | 'watch'
    | 'problems'
  >
  activity: { recent(): Activity[] }
  downloads: Pick<
    DownloadQueue,
    'start' | 'list' | 'pause' | 'resume' | 'cancel' | 'answer' | 'clearFinished'
  >
  folders: FolderBrowser
  /** The desktop app's native folder dialog (absent in the web UI and the CLI). */
  pickFolder?: NativeFolderPicker
}

/** Resolves with the chosen folder, or undefined when the user cancelled. */
export type NativeFolderPicker = (options: {
  title?: string
  startPath?: string
}) => Promise<string | undefined>

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => deps.appInfo(),
    'settings:locale': () => deps.settings.locale(),
    'settings:set-locale': command((preference) => deps.settings.setLocale(preference)),
    ...accountHandlers(deps),
    ...storageHandlers(deps),
    ...queueHandlers(deps),
    ...syncHandlers(deps),
    ...downloadHandlers(deps),
    ...localHandlers(deps),
  }
}
