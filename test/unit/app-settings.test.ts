import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppSettings } from '../../main/core/settings/app-settings'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import { handlerDepsStub } from '../support/handler-deps-stub'

/** The language the user chose is kept by main (settings.json in the data folder), reached through the contract. */
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'obs-sync-settings-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function dispatchOver(changes: string[] = []) {
  const settings = createAppSettings({ dataDir: dir, onLocaleChange: (p) => changes.push(p) })
  return createDispatch(createHandlers({ ...handlerDepsStub({}), settings }))
}

describe('the language setting, kept by main', () => {
  it('follows the system until the user chooses; the choice survives a restart and is announced', async () => {
    const changes: string[] = []
    const dispatch = dispatchOver(changes)
    expect(await dispatch('settings:locale', [])).toEqual({ ok: true, value: 'system' })
    expect(await dispatch('settings:set-locale', ['de'])).toEqual({ ok: true, value: null })
    expect(changes).toEqual(['de'])
    // A new process (new services) reads it back.
    expect(await dispatchOver()('settings:locale', [])).toEqual({ ok: true, value: 'de' })
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toEqual({ locale: 'de' })
    expect((await stat(join(dir, 'settings.json'))).mode & 0o777).toBe(0o600)
  })

  it('a language without a catalogue is refused and changes nothing', async () => {
    const changes: string[] = []
    const dispatch = dispatchOver(changes)
    await dispatch('settings:set-locale', ['zh-CN'])
    const refused = await dispatch('settings:set-locale', ['fr'])
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(await dispatch('settings:locale', [])).toEqual({ ok: true, value: 'zh-CN' })
    expect(changes).toEqual(['zh-CN'])
  })

  it('a damaged or hand-edited file falls back to "follow the system" instead of stopping the app', async () => {
    await writeFile(join(dir, 'settings.json'), '{ not json')
    expect(await dispatchOver()('settings:locale', [])).toEqual({ ok: true, value: 'system' })
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ locale: 'klingon', other: 1 }))
    expect(await dispatchOver()('settings:locale', [])).toEqual({ ok: true, value: 'system' })
  })

  it('quick successive choices are saved in order: the last one stays', async () => {
    const dispatch = dispatchOver()
    await Promise.all(['de', 'zh-CN', 'en'].map((p) => dispatch('settings:set-locale', [p])))
    expect(await dispatch('settings:locale', [])).toEqual({ ok: true, value: 'en' })
  })
})
