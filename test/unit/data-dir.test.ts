import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../../main/core/data-dir'

describe('data folder', () => {
  it('prefers --data-dir, then OBS_SYNC_HOME, then the OS app-data folder', () => {
    expect(resolveDataDir('rel/dir', { OBS_SYNC_HOME: '/env' }, 'linux')).toBe(resolve('rel/dir'))
    expect(resolveDataDir(undefined, { OBS_SYNC_HOME: '/env' }, 'linux')).toBe('/env')
    expect(resolveDataDir(undefined, {}, 'linux')).toBe(join(homedir(), '.config', 'OBS Sync'))
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/OBS Sync')
    expect(resolveDataDir(undefined, {}, 'darwin')).toBe(
      join(homedir(), 'Library', 'Application Support', 'OBS Sync'),
    )
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toContain(
      'OBS Sync',
    )
  })
})
