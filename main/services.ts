import { arch, platform } from 'node:os'
import type { EventPayload, Events } from '../preload/contract/events'
import type { AppInfo } from '../preload/contract/models'
import { type AccountService, createAccountService } from './core/accounts/account-service'
import { createAccountStore } from './core/accounts/account-store'
import { APP_NAME, APP_VERSION } from './core/app-meta'
import { createKeytarStore } from './core/credentials/keytar-store'
import type { SecretStore } from './core/credentials/secret-store'
import { createEventBus, type EventBus } from './core/events/event-bus'
import { createS3Client } from './core/storage/s3-client'
import { createDispatch, type Dispatch } from './ipc/dispatch'
import { createHandlers } from './ipc/handlers'

export type EventMap = { [E in keyof Events]: EventPayload<E> }

export interface AppServices {
  dataDir: string
  bus: EventBus<EventMap>
  accounts: AccountService
  secrets: SecretStore
  dispatch: Dispatch
}

export interface ServiceOptions {
  dataDir: string
  host: AppInfo['host']
  log?: (message: string, error?: unknown) => void
  secrets?: SecretStore
}

/**
 * Builds the core services and the contract handlers once, for whichever composition root runs them
 * (Electron, the headless web UI, the CLI). Everything is created here and handed down: no singletons.
 */
export function createAppServices(options: ServiceOptions): AppServices {
  const log = options.log ?? ((message, error) => console.error(message, error ?? ''))
  const bus = createEventBus<EventMap>((error) => log('An event listener failed', error))
  const store = createAccountStore(options.dataDir, (list) => bus.emit('accounts:changed', list))
  const secrets = options.secrets ?? createKeytarStore()
  const accounts = createAccountService({
    store,
    secrets,
    connect: (account, credentials) => createS3Client(account, credentials),
  })
  const appInfo = (): AppInfo => ({
    name: APP_NAME,
    version: APP_VERSION,
    host: options.host,
    platform: `${platform()}-${arch()}`,
    nodeVersion: process.versions.node,
    dataDir: options.dataDir,
  })
  const handlers = createHandlers({ appInfo, accounts })
  const dispatch = createDispatch(handlers, (error) => log('A request failed unexpectedly', error))
  return { dataDir: options.dataDir, bus, accounts, secrets, dispatch }
}
