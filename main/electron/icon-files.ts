/// <reference types="electron-vite/node" />
// The icons as build assets: electron-vite copies each file into out/main and this import becomes its path
// at run time (inside app.asar once packaged, which nativeImage reads). Imported only by index.ts, so tests
// never load it.
import appIcon from '../../build/icon.png?asset'
import error2x from '../../build/tray/error@2x.png?asset'
import error from '../../build/tray/error.png?asset'
import idle2x from '../../build/tray/idle@2x.png?asset'
import idle from '../../build/tray/idle.png?asset'
import offline2x from '../../build/tray/offline@2x.png?asset'
import offline from '../../build/tray/offline.png?asset'
import paused2x from '../../build/tray/paused@2x.png?asset'
import paused from '../../build/tray/paused.png?asset'
import syncing2x from '../../build/tray/syncing@2x.png?asset'
import syncing from '../../build/tray/syncing.png?asset'
import type { TrayIconFile } from './tray-icon'
import type { TrayIconState } from './tray-status'

export const APP_ICON_FILE = appIcon

export const TRAY_ICON_FILES: Record<TrayIconState, TrayIconFile> = {
  idle: { x1: idle, x2: idle2x },
  syncing: { x1: syncing, x2: syncing2x },
  paused: { x1: paused, x2: paused2x },
  error: { x1: error, x2: error2x },
  offline: { x1: offline, x2: offline2x },
}
