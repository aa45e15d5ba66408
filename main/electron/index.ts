import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { IPC_EVENT, IPC_INVOKE } from '../../preload/contract/bridge'
import { failure } from '../../preload/contract/envelope'
import { createAppServices } from '../services'
import { createSenderCheck } from './trusted-sender'
import { secureWindowOptions } from './window-options'

// Composition root of the desktop app: builds the services once and binds them to Electron.
const here = fileURLToPath(new URL('.', import.meta.url))
const indexHtml = join(here, '../renderer/index.html')
const preload = join(here, '../preload/index.cjs')

if (!app.requestSingleInstanceLock()) app.quit()

app.whenReady().then(() => {
  const services = createAppServices({ dataDir: app.getPath('userData'), host: 'electron' })
  const isTrustedSender = createSenderCheck(indexHtml)

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, args: unknown) => {
    const frame = event.senderFrame
    if (!isTrustedSender(frame?.url, frame?.parent === null)) {
      return failure({ code: 'FORBIDDEN_SENDER', message: 'This window may not talk to OBS Sync.' })
    }
    return services.dispatch(channel, args)
  })

  // No remote content at all: every request that is not one of our files is cancelled.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !details.url.startsWith('file://') && !details.url.startsWith('devtools://') })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  const window = new BrowserWindow(secureWindowOptions(preload))
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the provider's console open in the user's browser, never in our window.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  services.bus.onAny((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event, payload)
  })
  window.once('ready-to-show', () => window.show())
  void window.loadFile(indexHtml)
})

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows()
  if (window) {
    if (window.isMinimized()) window.restore()
    window.focus()
  }
})
app.on('window-all-closed', () => app.quit())
