import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createEventBus } from '../../main/core/events/event-bus'
import { type DesktopServices, runDesktopApp } from '../../main/electron/desktop-app'
import { EMPTY_STATUS } from '../../main/electron/status-feed'
import type { EventMap } from '../../main/services'
import { IPC_EVENT, IPC_INVOKE } from '../../preload/contract/bridge'
import type { Envelope } from '../../preload/contract/envelope'
import type { StatusSummary } from '../../preload/contract/queue-models'

// The whole of Electron that the shell touches, faked: every object records what is done to it and lets
// the test emit the events Electron would (ready, close, before-quit, a tray click...).
const fake = vi.hoisted(() => {
  type Listener = (...args: never[]) => unknown
  class Emitter {
    listeners = new Map<string, Listener[]>()
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener])
      return this
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener)
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? [])
        (listener as (...a: unknown[]) => unknown)(...args)
    }
  }
  const event = () => ({
    prevented: false,
    preventDefault(this: { prevented: boolean }) {
      this.prevented = true
    },
  })

  const state = {
    lock: true,
    log: [] as string[],
    windows: [] as Array<InstanceType<typeof FakeWindow>>,
    trays: [] as Array<InstanceType<typeof FakeTray>>,
    handlers: new Map<string, Listener>(),
    sessionHandlers: new Map<string, Listener>(),
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    opened: [] as string[],
    appMenu: undefined as unknown,
    ready: Promise.resolve(),
    /** What Electron reports as the OS's languages (app.getPreferredSystemLanguages()). */
    systemLanguages: ['en-US'] as string[],
    notificationsSupported: false,
    notifications: [] as Array<{ title: string; body: string }>,
  }
  class FakeNotification extends Emitter {
    static isSupported = () => state.notificationsSupported
    constructor(readonly options: { title: string; body: string }) {
      super()
    }
    show() {
      state.notifications.push(this.options)
    }
  }
  class FakeContents extends Emitter {
    sent: unknown[][] = []
    send(...args: unknown[]) {
      this.sent.push(args)
    }
    isDestroyed = () => false
    setWindowOpenHandler() {}
  }
  class FakeWindow extends Emitter {
    webContents = new FakeContents()
    visible = false
    loaded?: string
    constructor(readonly options: Record<string, unknown>) {
      super()
      state.windows.push(this)
    }
    loadURL(url: string) {
      this.loaded = url
      state.log.push(`window loads ${url}`)
      return Promise.resolve()
    }
    isDestroyed = () => false
    isMinimized = () => false
    restore() {}
    focus() {}
    show() {
      this.visible = true
      state.log.push('window shown')
    }
    hide() {
      this.visible = false
      state.log.push('window hidden')
    }
  }
  class FakeTray extends Emitter {
    tooltip = ''
    menu: Array<{ label?: string; click?: () => void }> = []
    destroyed = false
    constructor(readonly image: unknown) {
      super()
      state.trays.push(this)
    }
    setImage() {}
    setToolTip(text: string) {
      this.tooltip = text
    }
    setContextMenu(menu: { template: FakeTray['menu'] }) {
      this.menu = menu.template
    }
    destroy() {
      this.destroyed = true
      state.log.push('tray destroyed')
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    requestSingleInstanceLock: () => state.lock,
    enableSandbox: () => state.log.push('sandbox enabled'),
    whenReady: () => {
      state.log.push('whenReady')
      return state.ready
    },
    getPath: (name: string) => `/home/me/.config/OBS Sync/${name}`,
    getPreferredSystemLanguages: () => state.systemLanguages,
    getLocale: () => 'en-US',
    exit: (code: number) => state.log.push(`app.exit(${code})`),
  })
  const record = (name: string) => (listener: Listener) => state.sessionHandlers.set(name, listener)
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => {
        state.appMenu = menu
      },
    },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    // Unsupported unless a test says otherwise; shown ones are recorded.
    Notification: FakeNotification,
    ipcMain: {
      handle: (channel: string, handler: Listener) => state.handlers.set(channel, handler),
      removeHandler: (channel: string) => {
        state.handlers.delete(channel)
        state.log.push(`removed ${channel}`)
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        state.privilegedSchemes.push(...schemes)
        state.log.push('schemes registered')
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        state.protocolHandlers.set(scheme, handler)
        state.log.push(`protocol ${scheme} handled`)
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: record('headers'), onBeforeRequest: record('request') },
        setPermissionRequestHandler: record('permissionRequest'),
        setPermissionCheckHandler: record('permissionCheck'),
        setDevicePermissionHandler: record('devicePermission'),
      },
    },
    shell: {
      openExternal: async (url: string) => {
        state.opened.push(url)
      },
      openPath: async (path: string) => {
        state.opened.push(path)
        return ''
      },
    },
    powerMonitor: new Emitter(),
    dialog: { showErrorBox: (title: string) => state.log.push(`error box: ${title}`) },
  }
  const reset = () => {
    state.lock = true
    state.log.length = 0
    state.windows.length = 0
    state.trays.length = 0
    state.handlers.clear()
    state.sessionHandlers.clear()
    state.privilegedSchemes.length = 0
    state.protocolHandlers.clear()
    state.opened.length = 0
    app.listeners.clear()
    electron.powerMonitor.listeners.clear()
    state.systemLanguages = ['en-US']
    state.notificationsSupported = false
    state.notifications.length = 0
  }
  return { state, electron, event, reset, Emitter, FakeContents }
})

vi.mock('electron', () => fake.electron)

// A real folder: the tray opens a watched folder only while it still is a directory (security finding #9).
const HOME = mkdtempSync(join(tmpdir(), 'obs-sync-app-'))
const PHOTOS = join(HOME, 'Photos')
mkdirSync(PHOTOS)
// A real built renderer folder, served on app://bundle/ (security finding #13), and a file beside it.
const RENDERER_DIR = join(HOME, 'out', 'renderer')
mkdirSync(RENDERER_DIR, { recursive: true })
writeFileSync(join(RENDERER_DIR, 'index.html'), '<!doctype html><title>OBS Sync</title>')
writeFileSync(join(HOME, 'out', 'main.js'), 'secret main code')
const INDEX_URL = 'app://bundle/index.html'
const FILE_INDEX_URL = `file://${join(RENDERER_DIR, 'index.html')}`
const STATUS: StatusSummary = {
  ...EMPTY_STATUS,
  state: 'syncing',
  running: 3,
  watchedFolders: [{ id: 'p', localPath: PHOTOS, paused: false }],
}

interface TestServices extends DesktopServices {
  calls: unknown[][]
  bus: ReturnType<typeof createEventBus<EventMap>>
}

function start(overrides: { stopping?: Promise<void>; argv?: string[]; storedLocale?: string } = {}) {
  const bus = createEventBus<EventMap>()
  const services: TestServices = {
    bus,
    calls: [],
    dispatch: async (channel, args): Promise<Envelope<unknown>> => {
      services.calls.push([channel, args])
      if (channel === 'status:get') return { ok: true, value: STATUS }
      if (channel === 'settings:locale') return { ok: true, value: overrides.storedLocale ?? 'system' }
      return { ok: true, value: null }
    },
  }
  const created: string[] = []
  const signals = new fake.Emitter()
  runDesktopApp<TestServices>({
    createServices: (dataDir) => {
      created.push(dataDir)
      return services
    },
    startServices: async () => {
      fake.state.log.push('services started')
    },
    shutdownServices: async () => {
      fake.state.log.push('shutdown started')
      await (overrides.stopping ?? Promise.resolve())
      fake.state.log.push('shutdown finished: queue state saved')
    },
    files: {
      rendererDir: RENDERER_DIR,
      preload: '/app/out/preload/index.cjs',
      trayIcons: {
        idle: { x1: 'idle.png', x2: 'idle@2x.png' },
        syncing: { x1: 's.png', x2: 's@2x.png' },
        paused: { x1: 'p.png', x2: 'p@2x.png' },
        error: { x1: 'e.png', x2: 'e@2x.png' },
        offline: { x1: 'o.png', x2: 'o@2x.png' },
      },
    },
    argv: overrides.argv ?? ['/opt/obs-sync'],
    platform: 'linux',
    log: (message) => fake.state.log.push(`log: ${message}`),
    signals: signals as unknown as NodeJS.Process,
  })
  return { services, created, signals }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}
/** Starts the app and lets its start-up (whenReady, window, tray) run. */
async function started(overrides: Parameters<typeof start>[0] = {}) {
  const app = start(overrides)
  await flush()
  return app
}
const window = () => fake.state.windows[0]!
const tray = () => fake.state.trays[0]!
const click = (label: string) =>
  tray()
    .menu.find((item) => item.label === label)
    ?.click?.()

beforeEach(() => fake.reset())

describe('the desktop app, wired', () => {
  it('single-instance lock: a second instance exits at once and builds nothing', async () => {
    fake.state.lock = false
    const { created } = await started()
    expect(fake.state.log).toEqual(['app.exit(0)'])
    expect(created).toEqual([])
    expect(fake.state.windows).toEqual([])
  })

  it('a second launch shows the first instance’s window', async () => {
    await started({ argv: ['/opt/obs-sync', '--hidden'] })
    expect(window().visible).toBe(false)
    fake.electron.app.emit('second-instance')
    expect(window().visible).toBe(true)
  })

  it('builds the services in the user data folder, the secure window, the hardened session, then starts the services', async () => {
    const { created } = await started()
    expect(created).toEqual(['/home/me/.config/OBS Sync/userData'])
    expect(fake.state.log).toContain('sandbox enabled')
    const prefs = window().options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
    })
    expect(window().loaded).toBe(INDEX_URL)
    expect([...fake.state.sessionHandlers.keys()].sort()).toEqual([
      'devicePermission',
      'headers',
      'permissionCheck',
      'permissionRequest',
      'request',
    ])
    expect(fake.state.log).toContain('services started')
    window().emit('ready-to-show')
    expect(window().visible).toBe(true)
  })

  it('the page comes from the privileged app:// scheme, registered before ready, never from file://', async () => {
    await started()
    expect(fake.state.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ])
    const order = fake.state.log.filter((line) =>
      /schemes registered|whenReady|protocol app handled|window loads/.test(line),
    )
    expect(order).toEqual([
      'schemes registered',
      'whenReady',
      'protocol app handled',
      `window loads ${INDEX_URL}`,
    ])
    expect(window().loaded).not.toMatch(/^file:/)
  })

  it('the app:// handler serves the built renderer folder only: traversal is refused', async () => {
    await started()
    const serve = fake.state.protocolHandlers.get('app')!
    const page = await serve(new Request(INDEX_URL))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toBe('<!doctype html><title>OBS Sync</title>')
    for (const url of [
      'app://bundle/../../etc/passwd',
      'app://bundle/..%2Fmain.js',
      'app://bundle/..%2F..%2F..%2Fetc%2Fpasswd',
    ]) {
      const refused = await serve(new Request(url))
      expect(refused.status, url).toBe(404)
      expect(await refused.text(), url).not.toMatch(/secret main code|root:/)
    }
  })

  it('every web contents gets the navigation guard when created', async () => {
    await started()
    const contents = new fake.FakeContents()
    fake.electron.app.emit('web-contents-created', {}, contents)
    const navigation = fake.event()
    contents.emit('will-navigate', Object.assign(navigation, { url: 'https://console.huaweicloud.com/dew/' }))
    expect(navigation.prevented).toBe(true)
    expect(fake.state.opened).toEqual(['https://console.huaweicloud.com/dew/'])
  })

  it('ipcMain: our page is answered, a foreign frame gets FORBIDDEN_SENDER', async () => {
    const { services } = await started()
    const handler = fake.state.handlers.get(IPC_INVOKE) as unknown as (...a: unknown[]) => Promise<unknown>
    const ours = { senderFrame: { url: INDEX_URL, parent: null } }
    const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } }
    const asFile = { senderFrame: { url: FILE_INDEX_URL, parent: null } }
    expect(await handler(ours, 'queue:counts', [])).toEqual({ ok: true, value: null })
    expect(await handler(foreign, 'queue:counts', [])).toMatchObject({ error: { code: 'FORBIDDEN_SENDER' } })
    expect(await handler(asFile, 'queue:counts', [])).toMatchObject({ error: { code: 'FORBIDDEN_SENDER' } })
    expect(services.calls.filter(([channel]) => channel === 'queue:counts')).toHaveLength(1)
  })

  it('bus events reach the window', async () => {
    const { services } = await started()
    services.bus.emit('queue:removed', [7])
    expect(window().webContents.sent).toContainEqual([IPC_EVENT, 'queue:removed', [7]])
  })

  it('the tray shows the status asked through status:get, and follows status:changed', async () => {
    const { services } = await started()
    expect(services.calls).toContainEqual(['status:get', []])
    expect(tray().menu[0]?.label).toBe('Uploading 3 files')
    expect(tray().tooltip).toContain('Uploading 3 files')
    services.bus.emit('status:changed', { ...STATUS, state: 'paused', running: 0, pausedByUser: true })
    expect(tray().menu[0]?.label).toBe('Paused')
  })

  it('tray entries call the services through the contract, and open the watched folder', async () => {
    const { services } = await started()
    click('Pause all')
    click('Open Photos')
    await flush()
    expect(services.calls).toContainEqual(['queue:pause', ['all']])
    await vi.waitFor(() => expect(fake.state.opened).toEqual([PHOTOS]))
  })

  it('closing the window hides it instead of quitting', async () => {
    await started()
    const close = fake.event()
    window().emit('close', close)
    expect(close.prevented).toBe(true)
    expect(fake.state.log).toContain('window hidden')
    expect(fake.state.log.some((line) => line.startsWith('app.exit'))).toBe(false)
  })

  it('quit from the tray calls shutdown and waits for it before exit, then tidies up', async () => {
    let finish: () => void = () => {}
    await started({ stopping: new Promise<void>((resolve) => (finish = resolve)) })
    fake.state.log.length = 0
    click('Quit OBS Sync')
    await flush()
    expect(fake.state.log).toEqual(['shutdown started'])
    const close = fake.event()
    window().emit('close', close)
    expect(close.prevented).toBe(false)
    finish()
    await flush()
    expect(fake.state.log).toEqual([
      'shutdown started',
      'shutdown finished: queue state saved',
      'tray destroyed',
      `removed ${IPC_INVOKE}`,
      'app.exit(0)',
    ])
  })

  it.each([
    ['Cmd+Q / app.quit() (before-quit)', () => fake.electron.app.emit('before-quit', fake.event())],
    ['the OS shutting down', () => fake.electron.powerMonitor.emit('shutdown', fake.event())],
  ])('%s goes through the clean shutdown', async (_name, trigger) => {
    await started()
    trigger()
    await flush()
    expect(fake.state.log.filter((line) => /shutdown|exit/.test(line))).toEqual([
      'shutdown started',
      'shutdown finished: queue state saved',
      'app.exit(0)',
    ])
  })

  it('before-quit is held back until the services stopped', async () => {
    await started()
    const beforeQuit = fake.event()
    fake.electron.app.emit('before-quit', beforeQuit)
    expect(beforeQuit.prevented).toBe(true)
  })

  it('SIGTERM goes through the clean shutdown too', async () => {
    const { signals } = await started()
    signals.emit('SIGTERM')
    await flush()
    expect(fake.state.log).toContain('shutdown finished: queue state saved')
    expect(fake.state.log.at(-1)).toBe('app.exit(0)')
  })

  it('the application menu has our Quit', async () => {
    await started()
    const menu = fake.state.appMenu as { template: Array<{ submenu?: Array<{ label?: string }> }> }
    const labels = menu.template.flatMap((item) => item.submenu ?? []).map((item) => item.label)
    expect(labels).toContain('Quit')
  })

  it('a failure while starting is shown and ends the app', async () => {
    fake.state.ready = Promise.reject(new Error('no display'))
    try {
      await started()
      expect(fake.state.log).toEqual([
        'sandbox enabled',
        'schemes registered',
        'whenReady',
        'log: OBS Sync could not start',
        'error box: OBS Sync could not start',
        'app.exit(1)',
      ])
    } finally {
      fake.state.ready = Promise.resolve()
    }
  })
})

describe('the menu, the tray and the notifications speak the window’s language', () => {
  type MenuItem = { label?: string; submenu?: MenuItem[] }
  const menuLabels = () => {
    const labels = (items: MenuItem[]): string[] =>
      items.flatMap((item) => [...(item.label ? [item.label] : []), ...labels(item.submenu ?? [])])
    return labels((fake.state.appMenu as { template: MenuItem[] }).template)
  }
  const trayLabels = () => tray().menu.map((item) => item.label)

  it('the OS language (app.getPreferredSystemLanguages) when the user chose none: German', async () => {
    fake.state.systemLanguages = ['fr-FR', 'de-AT', 'en-US']
    await started()
    expect(menuLabels()).toEqual(
      expect.arrayContaining(['&Datei', 'Fenster schließen', 'Beenden', 'Kopieren']),
    )
    expect(menuLabels()).not.toContain('Quit')
    expect(trayLabels()).toEqual(
      expect.arrayContaining([
        'Lädt 3 Dateien hoch',
        'Alle anhalten',
        'OBS Sync öffnen',
        'Photos öffnen',
        'OBS Sync beenden',
      ]),
    )
    expect(tray().tooltip).toContain('Lädt 3 Dateien hoch')
  })

  it('the language the user chose in the window (kept by main) wins over the OS’s: Chinese', async () => {
    fake.state.systemLanguages = ['de-DE']
    const { services } = await started({ storedLocale: 'zh-CN' })
    expect(services.calls).toContainEqual(['settings:locale', []])
    expect(menuLabels()).toEqual(expect.arrayContaining(['文件(&F)', '关闭窗口', '退出', '复制']))
    expect(trayLabels()).toEqual(
      expect.arrayContaining(['正在上传 3 个文件', '全部暂停', '打开 OBS Sync', '打开 Photos']),
    )
    expect(tray().tooltip).toContain('正在上传 3 个文件')
  })

  it("a development build's View menu is worded in the chosen language: no item keeps Electron's English role label", async () => {
    type Item = { label?: string; role?: string; submenu?: Item[] }
    const flat = (items: Item[]): Item[] => items.flatMap((item) => [item, ...flat(item.submenu ?? [])])
    fake.electron.app.isPackaged = false
    try {
      start({ storedLocale: 'de' })
      await flush()
      const template = (fake.state.appMenu as { template: Item[] }).template
      const view = template.find((item) => item.label === '&Ansicht')
      expect(view?.submenu?.flatMap((item) => (item.label ? [item.label] : []))).toEqual([
        'Neu laden',
        'Neu laden erzwingen',
        'Entwicklertools ein/aus',
        'Originalgröße',
        'Vergrößern',
        'Verkleinern',
        'Vollbild ein/aus',
      ])
      expect(flat(template).filter((item) => item.role && !item.label)).toEqual([])
    } finally {
      fake.electron.app.isPackaged = true
    }
  })

  it('a change of language in the window redraws the menu and the tray at once; "system" goes back to the OS', async () => {
    const { services } = await started()
    expect(trayLabels()).toContain('Pause all')
    services.bus.emit('settings:locale', 'de')
    expect(trayLabels()).toContain('Alle anhalten')
    expect(menuLabels()).toContain('Beenden')
    // A tray entry still does what it did, whatever its words.
    click('Alle anhalten')
    await flush()
    expect(services.calls).toContainEqual(['queue:pause', ['all']])
    services.bus.emit('settings:locale', 'zh-CN')
    expect(trayLabels()).toContain('全部暂停')
    services.bus.emit('settings:locale', 'system')
    expect(trayLabels()).toContain('Pause all')
    expect(menuLabels()).toContain('Quit')
  })

  it('notifications are worded in the chosen language, and follow a change', async () => {
    fake.state.notificationsSupported = true
    const { services } = await started({ storedLocale: 'de' })
    services.bus.emit('status:changed', { ...STATUS, failed: 0 })
    services.bus.emit('status:changed', { ...STATUS, failed: 2 })
    expect(fake.state.notifications).toEqual([
      {
        title: '2 Uploads fehlgeschlagen',
        body: 'Öffnen Sie OBS Sync, um den Grund zu sehen und es erneut zu versuchen.',
      },
    ])
  })
})
