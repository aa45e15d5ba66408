import { assertWatchableFolder } from '../core/sync/watched-folder'
import type { Dispatch } from '../ipc/dispatch'
import type { TrayAction } from './tray-menu'

export interface TrayActionDeps {
  /** Queue actions go through the contract's handlers, like the renderer's, so the tray needs no internals. */
  dispatch: Dispatch
  showWindow(): void
  /** shell.openPath: resolves to '' on success, or to the reason it failed. */
  openPath(path: string): Promise<string>
  quit(): void
  /** Tells the user that an action failed (the tray has no place for an error of its own). */
  report(message: string): void
}

/** Turns a tray menu entry's action into the call it stands for. Never rejects: failures are reported. */
export function createTrayActionRunner(deps: TrayActionDeps): (action: TrayAction) => Promise<void> {
  const call = async (channel: 'queue:pause' | 'queue:resume') => {
    const result = await deps.dispatch(channel, ['all'])
    if (!result.ok) deps.report(result.error.message)
  }
  return async (action) => {
    try {
      switch (action.id) {
        case 'pause-all':
          return await call('queue:pause')
        case 'resume-all':
          return await call('queue:resume')
        case 'open-window':
          return deps.showWindow()
        case 'open-folder': {
          // shell.openPath runs what it is given: a watched folder replaced by an executable would be started.
          // Only a path that still is a directory is handed over (its real path, checked just before).
          const folder = await assertWatchableFolder(action.path)
          const problem = await deps.openPath(folder)
          if (problem) deps.report(`Could not open ${action.path}: ${problem}`)
          return
        }
        case 'quit':
          return deps.quit()
      }
    } catch (error) {
      deps.report(error instanceof Error ? error.message : String(error))
    }
  }
}
