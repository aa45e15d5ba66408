import type { IpcMainInvokeEvent } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { createEventBus } from '../../main/core/events/event-bus'
import { bindInvokeHandler, createInvokeHandler, forwardEvents } from '../../main/electron/ipc-binding'
import { createSenderCheck } from '../../main/electron/trusted-sender'
import { createDispatch, type Dispatch } from '../../main/ipc/dispatch'
import type { Handlers } from '../../main/ipc/handlers'
import type { EventMap } from '../../main/services'
import { IPC_EVENT, IPC_INVOKE } from '../../preload/contract/bridge'
import type { AppInfo } from '../../preload/contract/models'
import type { StatusSummary } from '../../preload/contract/queue-models'

vi.mock('electron', () => ({}))

// Our page is served by our own scheme (security finding #13): the file:// URL of the same file is not ours.
const INDEX_URL = 'app://bundle/index.html'
const FILE_INDEX_URL = 'file:///opt/OBS%20Sync/resources/app.asar/out/renderer/index.html'
const info: AppInfo = {
  name: 'OBS Sync',
  version: '0.1.0',
  host: 'electron',
  platform: 'linux-x64',
  nodeVersion: '22',
  dataDir: '/d',
}

/** The real dispatch over one real handler: unknown channels and bad arguments are refused by it. */
function realDispatch(): Dispatch {
  return createDispatch({ 'app:info': async () => info } as Partial<Handlers> as Handlers)
}

/** An invoke event as ipcMain hands it over; `parent` null means the main frame. */
function eventFrom(url: string | undefined, options: { subframe?: boolean; noFrame?: boolean } = {}) {
  const frame = options.noFrame ? null : { url, parent: options.subframe ? { url: INDEX_URL } : null }
  return { senderFrame: frame } as unknown as IpcMainInvokeEvent
}

function handlerWith(dispatch: Dispatch = realDispatch()) {
  const spy = vi.fn(dispatch)
  const reported: unknown[] = []
  const handler = createInvokeHandler(spy, createSenderCheck(), (e) => reported.push(e))
  return { handler, dispatch: spy, reported }
}

describe('IPC sender rejection', () => {
  it.each([
    ['a foreign frame URL (another local file)', eventFrom('file:///tmp/evil/index.html')],
    ['our own index.html opened as a file:// page', eventFrom(FILE_INDEX_URL)],
    ['a web URL', eventFrom('https://evil.example/index.html')],
    ['a web URL that mimics our path', eventFrom('http://bundle/index.html')],
    ['another host of our scheme', eventFrom('app://evil/index.html')],
    ['our scheme with a user name or a port', eventFrom('app://x@bundle/index.html')],
    ['another file of our bundle', eventFrom('app://bundle/assets/other.html')],
    ['a subframe, even one showing our page', eventFrom(INDEX_URL, { subframe: true })],
    [
      'a frame that navigated away or was destroyed (no senderFrame)',
      eventFrom(undefined, { noFrame: true }),
    ],
    ['a frame without a URL', eventFrom(undefined)],
    ['garbage for a URL', eventFrom('not a url')],
  ])('%s gets FORBIDDEN_SENDER and never reaches dispatch', async (_name, event) => {
    const { handler, dispatch } = handlerWith()
    const result = await handler(event, 'app:info', [])
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('our page’s main frame is served, with a #route or a query', async () => {
    const { handler } = handlerWith()
    for (const url of [INDEX_URL, `${INDEX_URL}#/transfers`, `${INDEX_URL}?x=1`]) {
      expect(await handler(eventFrom(url), 'app:info', [])).toEqual({ ok: true, value: info })
    }
  })

  it('the sender check compares the page, not spellings', () => {
    const check = createSenderCheck()
    expect(check('app://bundle/./index.html', true)).toBe(true)
    expect(check('app://bundle/assets/../index.html#/x', true)).toBe(true)
    expect(check('app://bundle/index.html%2F..', true)).toBe(false)
    expect(check('app://bundle/', true)).toBe(false)
    expect(check(FILE_INDEX_URL, true)).toBe(false)
    expect(check('file://localhost/opt/OBS%20Sync/resources/app.asar/out/renderer/index.html', true)).toBe(
      false,
    )
    expect(check(INDEX_URL, false)).toBe(false)
  })
})

describe('IPC payload rejection', () => {
  it.each([
    ['a channel that is not text', 42, []],
    ['a channel that is an object', { toString: () => 'app:info' }, []],
    ['arguments that are not a list', 'app:info', 'not-a-list'],
    ['arguments that are an object', 'app:info', { 0: 'x', length: 1 }],
  ])('%s: INVALID_ARGUMENT before dispatch', async (_name, channel, args) => {
    const { handler, dispatch } = handlerWith()
    expect(await handler(eventFrom(INDEX_URL), channel, args)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('an unknown channel (prototype names included): UNKNOWN_CHANNEL', async () => {
    const { handler } = handlerWith()
    for (const channel of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await handler(eventFrom(INDEX_URL), channel, [])).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL' },
      })
    }
  })

  it('arguments that do not match the channel’s schema: INVALID_ARGUMENT', async () => {
    const { handler } = handlerWith()
    expect(await handler(eventFrom(INDEX_URL), 'app:info', ['extra'])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
  })

  it('a dispatch that throws still answers with an envelope (INTERNAL), and the error is reported', async () => {
    const { handler, reported } = handlerWith(async () => {
      throw new Error('boom at /home/me/secret')
    })
    const result = await handler(eventFrom(INDEX_URL), 'app:info', [])
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain('secret')
    expect(reported).toHaveLength(1)
  })
})

describe('binding and events', () => {
  it('registers the one handler on the contract’s invoke channel, and removes it', () => {
    const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() }
    const { handler } = handlerWith()
    const unbind = bindInvokeHandler(ipcMain, handler)
    expect(ipcMain.handle).toHaveBeenCalledWith(IPC_INVOKE, handler)
    unbind()
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE)
  })

  it('forwards bus events to the window as (IPC_EVENT, name, payload); skips a destroyed window', () => {
    const bus = createEventBus<EventMap>()
    const sent: unknown[][] = []
    let destroyed = false
    const contents = { isDestroyed: () => destroyed, send: (...args: unknown[]) => sent.push(args) }
    const stop = forwardEvents(bus, () => contents)
    const status = { state: 'idle' } as StatusSummary
    bus.emit('status:changed', status)
    bus.emit('queue:removed', [1, 2])
    destroyed = true
    bus.emit('queue:removed', [3])
    destroyed = false
    stop()
    bus.emit('queue:removed', [4])
    expect(sent).toEqual([
      [IPC_EVENT, 'status:changed', status],
      [IPC_EVENT, 'queue:removed', [1, 2]],
    ])
  })
})
