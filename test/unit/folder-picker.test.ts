import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createFolderBrowser } from '../../main/core/local/folder-browser'
import { createNativeFolderPicker } from '../../main/electron/folder-dialog'
import { createDispatch } from '../../main/ipc/dispatch'
import type { Handlers } from '../../main/ipc/handlers'
import { localHandlers } from '../../main/ipc/handlers/local'
import { handlerDepsStub } from '../support/handler-deps-stub'

const electron = vi.hoisted(() => ({
  showOpenDialog: vi.fn(),
  focused: { id: 'window' } as unknown,
}))
vi.mock('electron', () => ({
  dialog: { showOpenDialog: electron.showOpenDialog },
  BrowserWindow: { getFocusedWindow: () => electron.focused },
}))

function dispatchWith(root: string, pickFolder?: Parameters<typeof localHandlers>[0]['pickFolder']) {
  const deps = { ...handlerDepsStub({}), folders: createFolderBrowser(root), pickFolder }
  return createDispatch(localHandlers(deps) as Handlers)
}

describe('local-folder picker: one channel, never outside its root', () => {
  let root: string
  let outside: string
  beforeEach(async () => {
    const base = await mkdtemp(join(tmpdir(), 'picker-'))
    root = join(base, 'home')
    outside = join(base, 'secret')
    await mkdir(join(root, 'Documents/Taxes'), { recursive: true })
    await mkdir(join(root, 'Pictures'))
    await mkdir(join(root, '.cache'))
    await mkdir(outside)
    await writeFile(join(root, 'notes.txt'), 'a file, not a folder')
    await symlink(outside, join(root, 'escape'))
  })

  it('lists sub-folders only (no files, no hidden folders, no links), and the way back up', async () => {
    const dispatch = dispatchWith(root)
    const top = await dispatch('local:folders', [{}])
    expect(top).toMatchObject({ ok: true, value: { path: root, parent: undefined, truncated: false } })
    const names = top.ok ? (top.value as { folders: { name: string }[] }).folders.map((f) => f.name) : []
    expect(names).toEqual(['Documents', 'Pictures'])
    const docs = await dispatch('local:folders', [{ path: join(root, 'Documents') }])
    expect(docs).toMatchObject({ ok: true, value: { parent: root, folders: [{ name: 'Taxes' }] } })
  })

  it('refuses folders outside the root: by .., by a link, by an absolute path, and relative paths', async () => {
    const dispatch = dispatchWith(root)
    for (const path of [join(root, '..'), join(root, 'escape'), outside, '/']) {
      expect(await dispatch('local:folders', [{ path }])).toMatchObject({
        ok: false,
        error: { code: 'UNSAFE_PATH' },
      })
    }
    expect(await dispatch('local:folders', [{ path: 'Documents' }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
  })

  it('the web UI is told to use the in-page picker; the desktop app opens the native dialog', async () => {
    expect(await dispatchWith(root)('local:pick-folder', [{}])).toEqual({
      ok: true,
      value: { kind: 'in-page' },
    })

    const desktop = dispatchWith(root, createNativeFolderPicker())
    electron.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/Photos'] })
    expect(await desktop('local:pick-folder', [{ title: 'Watch a folder', startPath: '/home/me' }])).toEqual({
      ok: true,
      value: { kind: 'picked', path: '/home/me/Photos' },
    })
    expect(electron.showOpenDialog).toHaveBeenLastCalledWith(electron.focused, {
      title: 'Watch a folder',
      defaultPath: '/home/me',
      properties: ['openDirectory', 'createDirectory'],
    })
    electron.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] })
    expect(await desktop('local:pick-folder', [{}])).toEqual({ ok: true, value: { kind: 'cancelled' } })
  })
})
