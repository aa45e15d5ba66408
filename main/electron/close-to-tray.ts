import type { BrowserWindow } from 'electron'

/**
 * Closing the window hides it: uploads and watched folders keep syncing and the tray stays. The window
 * really closes only while quitting, or when there is no tray to come back from (some Linux desktops have
 * none), in which case closing it is how the user quits.
 */
export function shouldHideOnClose(state: { quitting: boolean; hasTray: boolean }): boolean {
  return !state.quitting && state.hasTray
}

export function keepInTrayOnClose(
  window: Pick<BrowserWindow, 'on' | 'hide'>,
  state: () => { quitting: boolean; hasTray: boolean },
): void {
  window.on('close', (event) => {
    if (!shouldHideOnClose(state())) return
    event.preventDefault()
    window.hide()
  })
}
