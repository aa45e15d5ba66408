import { readFileSync } from 'node:fs'
import { type NativeImage, nativeImage } from 'electron'
import { TRAY_ICON_STATES, type TrayIconState } from './tray-status'

/** One tray icon at 16 px and 32 px (build/tray/<state>.png and <state>@2x.png). */
export interface TrayIconFile {
  x1: string
  x2: string
}

/**
 * Loads the icons once. Windows and macOS get both resolutions (HiDPI picks the 32 px one); Linux panels
 * scale whatever they get to 22-24 px, so they get the sharper 32 px image. The files' names are hashed by
 * the build, so Electron's own "@2x next to it" lookup cannot work: the 2x image is added by hand.
 */
export function loadTrayIcons(
  files: Record<TrayIconState, TrayIconFile>,
  platform: NodeJS.Platform,
): Record<TrayIconState, NativeImage> {
  const load = (file: TrayIconFile) => {
    if (platform === 'linux') return nativeImage.createFromPath(file.x2)
    const image = nativeImage.createFromPath(file.x1)
    image.addRepresentation({ scaleFactor: 2, buffer: readFileSync(file.x2) })
    return image
  }
  return Object.fromEntries(TRAY_ICON_STATES.map((state) => [state, load(files[state])])) as Record<
    TrayIconState,
    NativeImage
  >
}
