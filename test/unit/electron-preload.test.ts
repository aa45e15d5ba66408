import { beforeEach, describe, expect, it, vi } from 'vitest'
import { IPC_EVENT, IPC_INVOKE } from '../../preload/contract/bridge'
import { events } from '../../preload/contract/events'

// A fake of the three things the preload may touch, recording what it does with them.
const fake = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void
  const listeners = new Set<Listener>()
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: { impl: async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null }) },
    paths: new Map<unknown, string>(),
    /** What main would do: send (IPC_EVENT, name, payload) to every listener. */
    push(name: string, payload: unknown) {
      for (const listener of listeners) listener({ sender: 'ipcRenderer itself' }, name, payload)
    },
  }
})

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => fake.invoke.impl(...args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (channel === 'obs-sync:event') fake.listeners.add(listener)
    },
    removeListener: (_channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      fake.listeners.delete(listener),
  },
  webUtils: {
    getPathForFile: (file: unknown) => {
      if (!fake.paths.has(file)) throw new TypeError('not a File')
      return fake.paths.get(file)
    },
  },
}))

await import('../../preload/index')

interface ExposedApi {
  invoke(channel: unknown, args: unknown): Promise<unknown>
  on(event: unknown, listener: unknown): () => void
  pathsForFiles(files: unknown): string[]
}
const api = () => fake.exposed.get('api') as ExposedApi

beforeEach(() => {
  fake.listeners.clear()
  fake.paths.clear()
})

describe('preload: exposes exactly the contract through contextBridge', () => {
  it('one global, `api`, with invoke, on and pathsForFiles, and nothing else (no ipcRenderer)', () => {
    expect([...fake.exposed.keys()]).toEqual(['api'])
    expect(Object.keys(api()).sort()).toEqual(['invoke', 'on', 'pathsForFiles'])
    for (const value of Object.values(api())) expect(typeof value).toBe('function')
  })

  it('invoke sends (channel, args) on the contract’s invoke channel and returns main’s envelope', async () => {
    const calls: unknown[][] = []
    fake.invoke.impl = async (...args) => {
      calls.push(args)
      return { ok: true, value: 'pong' }
    }
    expect(await api().invoke('app:info', [])).toEqual({ ok: true, value: 'pong' })
    expect(calls).toEqual([[IPC_INVOKE, 'app:info', []]])
  })

  it('invoke never rejects: arguments that cannot be sent become an envelope', async () => {
    fake.invoke.impl = async () => {
      throw new Error('An object could not be cloned.')
    }
    expect(await api().invoke('app:info', [() => 1])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
  })

  it('on delivers only its event’s payload (never the IPC event object) and returns an unsubscribe', () => {
    const received: unknown[][] = []
    const off = api().on('status:changed', (...args: unknown[]) => received.push(args))
    fake.push('status:changed', { state: 'idle' })
    fake.push('queue:removed', [1])
    off()
    fake.push('status:changed', { state: 'syncing' })
    expect(received).toEqual([[{ state: 'idle' }]])
    expect(fake.listeners.size).toBe(0)
  })

  it('on accepts every event of the contract, and only those', () => {
    for (const name of Object.keys(events)) api().on(name, () => {})()
    for (const name of ['nope', '__proto__', 'constructor', IPC_EVENT, 42]) {
      expect(() => api().on(name, () => {}), String(name)).toThrow(/no event/)
    }
    expect(() => api().on('status:changed', 'not a function')).toThrow(TypeError)
    expect(fake.listeners.size).toBe(0)
  })

  it('pathsForFiles resolves dropped files to their local paths with webUtils.getPathForFile', () => {
    const photo = { name: 'photo.jpg' }
    const report = { name: 'report.pdf' }
    const madeInPage = { name: 'generated.txt' }
    fake.paths.set(photo, '/home/me/photo.jpg')
    fake.paths.set(report, 'C:\\Users\\me\\report.pdf')
    fake.paths.set(madeInPage, '')
    expect(api().pathsForFiles([photo, madeInPage, report, 'not a file'])).toEqual([
      '/home/me/photo.jpg',
      'C:\\Users\\me\\report.pdf',
    ])
    expect(api().pathsForFiles('not a list')).toEqual([])
    expect(api().pathsForFiles(undefined)).toEqual([])
  })
})
