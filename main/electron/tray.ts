import { Menu, type MenuItemConstructorOptions, type NativeImage, Tray } from 'electron'
import type { StatusSummary } from '../../preload/contract/queue-models'
import type { TrayLabels } from './tray-labels'
import { type TrayAction, type TrayMenuEntry, trayMenuTemplate } from './tray-menu'
import { type TrayIconState, trayIconState, trayTooltip } from './tray-status'

/**
 * Maps the pure menu template to Electron's menu items. On Windows and Linux '&' marks a keyboard
 * mnemonic, so a folder called "Tom & Jerry" must be written "Tom && Jerry" to show its ampersand.
 */
export function toMenuItems(
  entries: TrayMenuEntry[],
  onAction: (action: TrayAction) => void,
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] {
  return entries.map((entry) => {
    if (entry.type === 'separator') return { type: 'separator' }
    const { action } = entry
    return {
      label: platform === 'darwin' ? entry.label : entry.label.replaceAll('&', '&&'),
      enabled: entry.enabled,
      ...(action ? { click: () => onAction(action) } : {}),
    }
  })
}

export interface TrayOptions {
  icons: Record<TrayIconState, NativeImage>
  initialStatus: StatusSummary
  onAction(action: TrayAction): void
  /** A click on the icon itself (Windows, macOS; most Linux trays only open the menu). */
  onClick(): void
  platform: NodeJS.Platform
  labels?: Partial<TrayLabels>
  now?: () => Date
  /** How often "Last sync: 5 min ago" is brought up to date. */
  refreshMs?: number
}

export interface TrayController {
  update(status: StatusSummary): void
  /** Redraws the menu and tooltip in another language (the user changed it). */
  setLabels(labels: Partial<TrayLabels>): void
  destroy(): void
}

/**
 * The tray icon, tooltip and menu, redrawn from each status summary. Only what changed is touched:
 * rebuilding a Linux tray menu on every progress tick makes it flicker and costs CPU.
 */
export function createTrayController(options: TrayOptions): TrayController {
  const now = options.now ?? (() => new Date())
  let status = options.initialStatus
  let labels = options.labels
  let shown = { icon: trayIconState(status), tooltip: '', menu: '' }
  const tray = new Tray(options.icons[shown.icon])
  tray.on('click', () => options.onClick())

  const render = () => {
    const at = now()
    const icon = trayIconState(status)
    const tooltip = trayTooltip(status, at, labels)
    const template = trayMenuTemplate(status, at, labels)
    const menu = JSON.stringify(template)
    if (icon !== shown.icon) tray.setImage(options.icons[icon])
    if (tooltip !== shown.tooltip) tray.setToolTip(tooltip)
    if (menu !== shown.menu) {
      tray.setContextMenu(Menu.buildFromTemplate(toMenuItems(template, options.onAction, options.platform)))
    }
    shown = { icon, tooltip, menu }
    // While offline the labels count down to the next retry: redraw each second until it is due.
    clearTimeout(countdown)
    if (status.state === 'offline' && status.retryAt) countdown = setTimeout(render, 1000)
  }
  let countdown: NodeJS.Timeout | undefined
  render()
  const timer = setInterval(render, options.refreshMs ?? 60_000)

  return {
    update(next) {
      status = next
      render()
    },
    setLabels(next) {
      labels = next
      render()
    },
    destroy() {
      clearInterval(timer)
      clearTimeout(countdown)
      tray.destroy()
    },
  }
}
