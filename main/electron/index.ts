import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAppServices } from '../services'
import { runDesktopApp } from './desktop-app'
import { createNativeFolderPicker } from './folder-dialog'
import { APP_ICON_FILE, TRAY_ICON_FILES } from './icon-files'

// Composition root of the desktop app: says where the built files are and how to build and stop the
// services; runDesktopApp does the rest. Nothing is created at import time beyond these paths.
// The AWS SDK is pinned to a version that supports Node 20 (see README); its end-of-support notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const here = fileURLToPath(new URL('.', import.meta.url))

runDesktopApp({
  createServices: (dataDir) =>
    createAppServices({ dataDir, host: 'electron', pickFolder: createNativeFolderPicker() }),
  startServices: (services) => services.start(),
  // Watchers stop, running uploads go back to the queue with their state saved; quitting waits for it.
  shutdownServices: (services) => services.shutdown(),
  files: {
    rendererDir: join(here, '../renderer'),
    preload: join(here, '../preload/index.cjs'),
    appIcon: APP_ICON_FILE,
    trayIcons: TRAY_ICON_FILES,
  },
  argv: process.argv,
  platform: process.platform,
})
