import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { APP_NAME } from './app-meta'

/**
 * Where config, queue and state live. Explicit choice (`--data-dir`) > OBS_SYNC_HOME > the OS's app-data
 * folder, named as Electron's app.getPath('userData') names it, so the desktop app and the CLI share one folder.
 */
export function resolveDataDir(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (explicit) return resolve(explicit)
  if (env.OBS_SYNC_HOME) return resolve(env.OBS_SYNC_HOME)
  const home = homedir()
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME)
}
