import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, protocol, session, shell } from 'electron'
import type { EventBus } from '../core/events/event-bus'
import type { Dispatch } from '../ipc/dispatch'
import type { EventMap } from '../services'
import { appMenuTemplate } from './app-menu'
import { APP_SCHEME_PRIVILEGES, serveAppProtocol } from './app-protocol'
import { APP_INDEX_URL } from './app-url'
import { keepInTrayOnClose } from './close-to-tray'
import { bindInvokeHandler, createInvokeHandler, forwardEvents } from './ipc-binding'
import { startsHidden } from './login-item'
import { guardNavigation } from './navigation-guard'
import { createNotificationPolicy, type NotificationPolicy, noticeLabels } from './notification-policy'
import { createNotifier, showDesktopNotice } from './notifier'
import { createQuitController, type QuitController } from './quit-controller'
import { hardenSession } from './session-security'
import { electronSystemLanguages, followShellLocale } from './shell-locale'
import { EMPTY_STATUS, watchStatus } from './status-feed'
import { createTrayController, type TrayController } from './tray'
import { createTrayActionRunner } from './tray-actions'
import { loadTrayIcons, type TrayIconFile } from './tray-icon'
import { trayLabels } from './tray-labels'
import type { TrayIconState } from './tray-status'
import { createSenderCheck } from './trusted-sender'
import { secureWindowOptions } from './window-options'

/** The part of the services the shell uses: the contract's handlers and the event bus. */
export interface DesktopServices {
  bus: Pick<EventBus<EventMap>, 'on' | 'onAny'>
  dispatch: Dispatch
}

export interface DesktopAppOptions<S extends DesktopServices> {
  /** Builds the services once Electron is ready (the data folder is known then). */
  createServices(dataDir: string): S
  /** Starts the queue workers and watched folders, once the window, tray and IPC are listening. */
  startServices(services: S): Promise<void>
  /** Stops them cleanly on quit (see StoppableServices); the shell waits for it, bounded by the timeout. */
  shutdownServices(services: S): Promise<void>
  files: {
    /** The built renderer folder (index.html and its assets), served on app://bundle/ and nothing else. */
    rendererDir: string
    preload: string
    appIcon?: string
    trayIcons: Record<TrayIconState, TrayIconFile>
  }
  argv: readonly string[]
  platform: NodeJS.Platform
  shutdownTimeoutMs?: number
  log?: (message: string, error?: unknown) => void
  /** Where SIGTERM/SIGINT arrive; the process itself unless a test says otherwise. */
  signals?: Pick<NodeJS.Process, 'once'>
}

/** What the app-level events (second instance, Dock click) need from a running shell. */
interface RunningShell {
  showWindow(): void
}

/**
 * Runs the desktop app: one instance per user, a hardened session and window, the contract on ipcMain,
 * the tray and notifications fed by the status, and one way out (the clean quit).
 */
export function runDesktopApp<S extends DesktopServices>(options: DesktopAppOptions<S>): void {
  const log = options.log ?? ((message, error) => console.error(message, error ?? ''))
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the queue and the state DB; it shows its window (see second-instance).
    // exit, not quit: nothing was started here, and quit would run the clean shutdown of services that do not exist.
    app.exit(0)
    return
  }
  // Sandbox every renderer, whatever a future window's options say.
  app.enableSandbox()
  // The page comes from app://bundle/, never file:// (so the grantFileProtocolExtraPrivileges fuse is off in
  // the package, electron-builder.yml). Privileges can only be given before the app is ready.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  // Guards every web contents when it is created, so no window or frame can be missed.
  app.on('web-contents-created', (_event, contents) =>
    guardNavigation(contents, (url) => void shell.openExternal(url)),
  )

  let running: RunningShell | undefined
  app.on('second-instance', () => running?.showWindow())
  app.on('activate', () => running?.showWindow())
  app
    .whenReady()
    .then(() => {
      running = startShell(options, log)
    })
    .catch((error: unknown) => {
      log('OBS Sync could not start', error)
      dialog.showErrorBox('OBS Sync could not start', error instanceof Error ? error.message : String(error))
      app.exit(1)
    })
}

function startShell<S extends DesktopServices>(
  options: DesktopAppOptions<S>,
  log: (message: string, error?: unknown) => void,
): RunningShell {
  const { files, platform } = options
  const devTools = !app.isPackaged
  const services = options.createServices(app.getPath('userData'))
  hardenSession(session.defaultSession, { allowDevTools: devTools })
  // The default session's protocol: the one the window uses.
  serveAppProtocol(protocol, files.rendererDir)

  const { window, showWindow } = createMainWindow(options, devTools)

  const cleanups: Array<() => void> = []
  const quit = createQuitController({
    shutdown: () => options.shutdownServices(services),
    exit: (code) => {
      for (const cleanup of cleanups.reverse()) cleanup()
      app.exit(code)
    },
    ...(options.shutdownTimeoutMs === undefined ? {} : { timeoutMs: options.shutdownTimeoutMs }),
    log,
  })
  const requestQuit = () => void quit.quit()

  cleanups.push(
    bindInvokeHandler(
      ipcMain,
      createInvokeHandler(services.dispatch, createSenderCheck(), (error) =>
        log('An IPC request failed unexpectedly', error),
      ),
    ),
    forwardEvents(services.bus, () => (window.isDestroyed() ? undefined : window.webContents)),
  )

  const tray = startTray(options, services, { showWindow, requestQuit, log })
  if (tray) cleanups.push(() => tray.destroy())
  const notices = createNotificationPolicy()
  cleanups.push(...followStatus(services, { tray, notices }, showWindow, log))

  keepInTrayOnClose(window, () => ({ quitting: quit.quitting, hasTray: tray !== undefined }))
  // The menu, the tray and the notifications speak the window's language, and follow the user's choice.
  cleanups.push(
    followShellLocale({
      services,
      systemLanguages: () => electronSystemLanguages(app),
      apply: (locale) => {
        Menu.setApplicationMenu(
          Menu.buildFromTemplate(
            appMenuTemplate(platform, { quit: requestQuit, showWindow }, devTools, locale),
          ),
        )
        tray?.setLabels(trayLabels(locale))
        notices.setLabels(noticeLabels(locale))
      },
      log,
    }),
  )
  routeEveryQuit(quit, options.signals ?? process)

  window.once('ready-to-show', () => {
    if (!startsHidden(options.argv)) window.show()
  })
  window.loadURL(APP_INDEX_URL).catch((error: unknown) => log('The window could not load its page', error))
  options
    .startServices(services)
    .catch((error: unknown) => log('The queue or the watched folders did not start', error))
  return { showWindow }
}

function createMainWindow<S extends DesktopServices>(options: DesktopAppOptions<S>, devTools: boolean) {
  const icon = options.platform === 'linux' ? options.files.appIcon : undefined
  const window = new BrowserWindow(
    secureWindowOptions(options.files.preload, { devTools, ...(icon ? { icon } : {}) }),
  )
  const showWindow = () => {
    if (window.isDestroyed()) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }
  return { window, showWindow }
}

/** Feeds each status summary to the tray and the notifications; returns the cleanups. */
function followStatus(
  services: DesktopServices,
  { tray, notices }: { tray: TrayController | undefined; notices: NotificationPolicy },
  showWindow: () => void,
  log: (message: string) => void,
): Array<() => void> {
  const notifier = createNotifier({
    policy: notices,
    show: (notice) => showDesktopNotice(notice, showWindow),
  })
  return [
    () => notifier.dispose(),
    services.bus.on('queue:jobs', (jobs) => {
      for (const job of jobs) notifier.jobChanged(job)
    }),
    watchStatus({
      dispatch: services.dispatch,
      bus: services.bus,
      onStatus: (status) => {
        tray?.update(status)
        notifier.statusChanged(status)
      },
      log,
    }),
  ]
}

/** The tray, or undefined where the platform cannot show one (the window then quits when closed). */
function startTray<S extends DesktopServices>(
  options: DesktopAppOptions<S>,
  services: S,
  deps: { showWindow(): void; requestQuit(): void; log(message: string, error?: unknown): void },
): TrayController | undefined {
  const runAction = createTrayActionRunner({
    dispatch: services.dispatch,
    showWindow: deps.showWindow,
    openPath: (path) => shell.openPath(path),
    quit: deps.requestQuit,
    report: (message) => showDesktopNotice({ title: 'OBS Sync', body: message }, deps.showWindow),
  })
  try {
    return createTrayController({
      icons: loadTrayIcons(options.files.trayIcons, options.platform),
      initialStatus: EMPTY_STATUS,
      onAction: (action) => void runAction(action),
      onClick: deps.showWindow,
      platform: options.platform,
    })
  } catch (error) {
    deps.log('No tray icon on this desktop; closing the window will quit', error)
    return undefined
  }
}

/**
 * Every way of quitting goes through the clean shutdown: Cmd+Q, the Dock, app.quit() anywhere, the OS
 * shutting down, a SIGTERM or Ctrl+C from a terminal. app.exit() (used at the end) emits none of these, so
 * nothing loops.
 */
function routeEveryQuit(quit: QuitController, signals: Pick<NodeJS.Process, 'once'>): void {
  const requestQuit = () => void quit.quit()
  app.on('before-quit', (event) => {
    event.preventDefault()
    requestQuit()
  })
  // Reached only without a tray (the window closes for real) or while quitting.
  app.on('window-all-closed', requestQuit)
  // Electron passes an event whose preventDefault() delays the OS shutdown until we exit (Linux, macOS);
  // its typings declare no argument, hence the loose signature.
  powerMonitor.on('shutdown', (...args: unknown[]) => {
    ;(args[0] as { preventDefault?(): void } | undefined)?.preventDefault?.()
    requestQuit()
  })
  signals.once('SIGTERM', requestQuit)
  signals.once('SIGINT', requestQuit)
}
