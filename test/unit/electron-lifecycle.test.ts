import { afterEach, describe, expect, it, vi } from 'vitest'
import { appMenuTemplate } from '../../main/electron/app-menu'
import { keepInTrayOnClose, shouldHideOnClose } from '../../main/electron/close-to-tray'
import { applyStartAtLogin, START_HIDDEN_ARG, startsHidden } from '../../main/electron/login-item'
import { createQuitController } from '../../main/electron/quit-controller'

vi.mock('electron', () => ({}))

/** A promise whose settling the test controls. */
function deferred() {
  let resolve: () => void = () => {}
  let reject: (error: unknown) => void = () => {}
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('quit: the services stop cleanly before the process exits', () => {
  afterEach(() => vi.useRealTimers())

  it('quit calls shutdown and waits for it before exit', async () => {
    const stopping = deferred()
    const events: string[] = []
    const quit = createQuitController({
      shutdown: () => {
        events.push('shutdown')
        return stopping.promise
      },
      exit: (code) => events.push(`exit ${code}`),
    })
    const done = quit.quit()
    await flush()
    expect(events).toEqual(['shutdown'])
    expect(quit.quitting).toBe(true)
    events.push('queue state saved')
    stopping.resolve()
    await done
    expect(events).toEqual(['shutdown', 'queue state saved', 'exit 0'])
  })

  it('quitting twice (tray, then Cmd+Q) stops the services once', async () => {
    const shutdown = vi.fn(async () => {})
    const exit = vi.fn()
    const quit = createQuitController({ shutdown, exit })
    expect(quit.quitting).toBe(false)
    await Promise.all([quit.quit(), quit.quit()])
    expect(shutdown).toHaveBeenCalledTimes(1)
    expect(exit).toHaveBeenCalledTimes(1)
  })

  it('a hung shutdown does not keep the app alive: exit(1) after the timeout (10 s by default)', async () => {
    vi.useFakeTimers()
    const exit = vi.fn()
    const log = vi.fn()
    const quit = createQuitController({ shutdown: () => new Promise(() => {}), exit, log })
    void quit.quit()
    await vi.advanceTimersByTimeAsync(9_999)
    expect(exit).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(exit).toHaveBeenCalledWith(1)
    expect(log.mock.calls[0]?.[0]).toMatch(/did not stop within 10 s/)
  })

  it('a failed shutdown (rejected or thrown) is logged and still exits, with code 1', async () => {
    for (const shutdown of [
      () => Promise.reject(new Error('db locked')),
      () => {
        throw new Error('sync throw')
      },
    ]) {
      const exit = vi.fn()
      const log = vi.fn()
      await createQuitController({ shutdown, exit, log }).quit()
      expect(exit).toHaveBeenCalledWith(1)
      expect(log).toHaveBeenCalledWith('The services did not stop cleanly', expect.any(Error))
    }
  })
})

describe('closing the window', () => {
  function fakeWindow() {
    let onClose: ((event: { preventDefault(): void }) => void) | undefined
    const window = {
      hidden: 0,
      on: (name: string, listener: typeof onClose) => {
        if (name === 'close') onClose = listener
        return window
      },
      hide: () => {
        window.hidden++
      },
    }
    const close = () => {
      let prevented = false
      onClose?.({ preventDefault: () => (prevented = true) })
      return prevented
    }
    return { window, close }
  }

  it('closing the window hides it instead of quitting (syncing goes on in the tray)', () => {
    const { window, close } = fakeWindow()
    keepInTrayOnClose(window as never, () => ({ quitting: false, hasTray: true }))
    expect(close()).toBe(true)
    expect(window.hidden).toBe(1)
  })

  it('while quitting, or with no tray to come back from, the window really closes', () => {
    expect(shouldHideOnClose({ quitting: true, hasTray: true })).toBe(false)
    expect(shouldHideOnClose({ quitting: false, hasTray: false })).toBe(false)
    const { window, close } = fakeWindow()
    let quitting = false
    keepInTrayOnClose(window as never, () => ({ quitting, hasTray: true }))
    quitting = true
    expect(close()).toBe(false)
    expect(window.hidden).toBe(0)
  })
})

describe('start at login', () => {
  it('applies the setting where Electron has login items, starting hidden in the tray', () => {
    const app = { setLoginItemSettings: vi.fn() }
    expect(applyStartAtLogin(app, true, 'win32')).toBe(true)
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true, args: [START_HIDDEN_ARG] })
    expect(applyStartAtLogin(app, false, 'darwin')).toBe(true)
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false, args: [] })
  })

  it('says so where it cannot (Linux has no Electron login items)', () => {
    const app = { setLoginItemSettings: vi.fn() }
    expect(applyStartAtLogin(app, true, 'linux')).toBe(false)
    expect(app.setLoginItemSettings).not.toHaveBeenCalled()
  })

  it('a start at login keeps the window hidden', () => {
    expect(startsHidden(['/opt/obs-sync', START_HIDDEN_ARG])).toBe(true)
    expect(startsHidden(['/opt/obs-sync'])).toBe(false)
  })
})

describe('the application menu', () => {
  type Item = { label?: string; role?: string; click?: () => void; submenu?: Item[] }
  const flat = (items: Item[]): Item[] => items.flatMap((item) => [item, ...flat(item.submenu ?? [])])

  it.each(['darwin', 'linux', 'win32'] as const)(
    '%s: Quit goes through the clean shutdown, not the quit role',
    (platform) => {
      const quit = vi.fn()
      const items = flat(appMenuTemplate(platform, { quit, showWindow: () => {} }) as Item[])
      const item = items.find((entry) => entry.label?.startsWith('Quit'))
      item?.click?.()
      expect(quit).toHaveBeenCalledTimes(1)
      expect(items.some((entry) => entry.role === 'quit')).toBe(false)
    },
  )

  it('no reload or DevTools in a production build', () => {
    const roles = (devTools: boolean) =>
      flat(appMenuTemplate('linux', { quit: () => {}, showWindow: () => {} }, devTools) as Item[]).map(
        (i) => i.role,
      )
    expect(roles(false)).not.toContain('reload')
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']))
  })
})
