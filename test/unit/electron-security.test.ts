import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Session, WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../main/electron/app-protocol'
import { isSafeExternalUrl } from '../../main/electron/external-links'
import { guardNavigation } from '../../main/electron/navigation-guard'
import {
  CONTENT_SECURITY_POLICY,
  hardenSession,
  isAllowedRequest,
  withContentSecurityPolicy,
} from '../../main/electron/session-security'
import { secureWindowOptions } from '../../main/electron/window-options'

// None of these modules may need the real Electron at run time (it cannot load here): if one did, this
// empty fake would make its test fail loudly.
vi.mock('electron', () => ({}))

// The page is served by our own scheme (#13); the file:// URL of the same built file is not ours.
const INDEX_URL = 'app://bundle/index.html'
const FILE_INDEX_URL = 'file:///opt/OBS%20Sync/resources/app.asar/out/renderer/index.html'

type Listener = (...args: never[]) => unknown

/** A session that records the handlers the code installs, so a test can call them like Electron would. */
function fakeSession() {
  const handlers: Record<string, Listener> = {}
  const record = (name: string) => (listener: Listener) => {
    handlers[name] = listener
  }
  const session = {
    webRequest: { onHeadersReceived: record('headers'), onBeforeRequest: record('request') },
    setPermissionRequestHandler: record('permissionRequest'),
    setPermissionCheckHandler: record('permissionCheck'),
    setDevicePermissionHandler: record('devicePermission'),
  }
  hardenSession(session as unknown as Session, { allowDevTools: false })
  const call = <T>(name: string, ...args: unknown[]): T => {
    const handler = handlers[name] as unknown as (...a: unknown[]) => T
    return handler(...args)
  }
  return {
    handlers,
    headersFor(responseHeaders?: Record<string, string[]>) {
      let answer: { responseHeaders?: Record<string, string[]> } = {}
      call('headers', { url: INDEX_URL, responseHeaders }, (r: typeof answer) => {
        answer = r
      })
      return answer.responseHeaders ?? {}
    },
    cancels(url: string) {
      let answer: { cancel?: boolean } = {}
      call('request', { url }, (r: typeof answer) => {
        answer = r
      })
      return answer.cancel === true
    },
    permissionRequestGranted(permission: string) {
      let granted: boolean | undefined
      call('permissionRequest', {}, permission, (value: boolean) => {
        granted = value
      })
      return granted
    },
    permissionCheck: (permission: string) => call<boolean>('permissionCheck', {}, permission, INDEX_URL),
    devicePermission: () => call<boolean>('devicePermission', { deviceType: 'usb' }),
  }
}

/** A web contents that records its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, (event: FakeEvent) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const opened: string[] = []
  const contents = {
    on(name: string, listener: (event: FakeEvent) => void) {
      listeners.set(name, listener)
      return contents
    },
    setWindowOpenHandler(handler: typeof openHandler) {
      openHandler = handler
    },
  }
  guardNavigation(contents as unknown as WebContents, (url) => opened.push(url))
  return {
    opened,
    /** Emits `name` with an event for `url`; answers whether the code prevented it. */
    emit(name: string, url = 'https://evil.example/') {
      const event = new FakeEvent(url)
      listeners.get(name)?.(event)
      return event.prevented
    },
    has: (name: string) => listeners.has(name),
    windowOpen: (url: string) => openHandler?.({ url }),
  }
}

class FakeEvent {
  prevented = false
  constructor(readonly url: string) {}
  preventDefault() {
    this.prevented = true
  }
}

const prefs = () => secureWindowOptions('/app/out/preload/index.cjs').webPreferences ?? {}

describe('the window: each item of Electron’s security checklist', () => {
  it('contextIsolation is on', () => {
    expect(prefs().contextIsolation).toBe(true)
  })

  it('sandbox is on', () => {
    expect(prefs().sandbox).toBe(true)
  })

  it('nodeIntegration off, in the page, its workers and its subframes', () => {
    expect(prefs().nodeIntegration).toBe(false)
    expect(prefs().nodeIntegrationInWorker).toBe(false)
    expect(prefs().nodeIntegrationInSubFrames).toBe(false)
  })

  it('webSecurity is on and insecure content is not run', () => {
    expect(prefs().webSecurity).toBe(true)
    expect(prefs().allowRunningInsecureContent).toBe(false)
    expect(prefs().experimentalFeatures).toBe(false)
  })

  it('no webview tag, and no navigation by dropping a file on the window', () => {
    expect(prefs().webviewTag).toBe(false)
    expect(prefs().navigateOnDragDrop).toBe(false)
  })

  it('DevTools only when asked for (development builds)', () => {
    expect(prefs().devTools).toBe(false)
    expect(secureWindowOptions('/p', { devTools: true }).webPreferences?.devTools).toBe(true)
  })

  it('the preload script is ours, and the window waits to be shown', () => {
    expect(prefs().preload).toBe('/app/out/preload/index.cjs')
    expect(secureWindowOptions('/p').show).toBe(false)
  })
})

describe('the session', () => {
  it('CSP header: every response gets the strict policy, other headers are kept', () => {
    const headers = fakeSession().headersFor({ 'Content-Type': ['text/html'] })
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    })
  })

  it('CSP header: no inline or eval’d script, nothing from the network, no frames or plugins', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/)
        return [name, values.join(' ')]
      }),
    )
    expect(directives.get('script-src')).toBe("'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
    expect(directives.get('object-src')).toBe("'none'")
    expect(directives.get('frame-src')).toBe("'none'")
    expect(directives.get('base-uri')).toBe("'none'")
  })

  it('CSP header: at least as strict as the meta tag in renderer/index.html (every meta directive is in it)', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    const header = new Set(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim()))
    for (const directive of (meta ?? '').split(';').map((d) => d.trim())) expect(header).toContain(directive)
  })

  it('remote content blocked: only our bundle on app://bundle/ (and data: images) loads, no file:// at all', () => {
    const session = fakeSession()
    expect(session.cancels(INDEX_URL)).toBe(false)
    expect(session.cancels('app://bundle/assets/index-abc.js')).toBe(false)
    expect(session.cancels('data:image/png;base64,iVBORw0KGgo=')).toBe(false)
    for (const url of [
      'https://obs.eu-de.otc.t-systems.com/',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1:9000/',
      'file:///etc/passwd',
      FILE_INDEX_URL,
      FILE_INDEX_URL.replace('index.html', 'assets/index-abc.js'),
      'app://evil/index.html',
      'devtools://devtools/bundled/inspector.html',
      'chrome-extension://abc/x.js',
    ]) {
      expect(session.cancels(url), url).toBe(true)
    }
  })

  it('remote content blocked: DevTools pages load only in a development build', () => {
    const policy = { allowDevTools: true }
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', policy)).toBe(true)
    expect(isAllowedRequest('https://example.com/', policy)).toBe(false)
  })

  it('permissions denied: requests, checks and devices', () => {
    const session = fakeSession()
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(session.permissionRequestGranted(permission), permission).toBe(false)
      expect(session.permissionCheck(permission), permission).toBe(false)
    }
    expect(session.devicePermission()).toBe(false)
  })
})

/**
 * A built renderer folder on disk, with a secret beside it (outside the folder) and a link inside it pointing
 * out: what a traversal would reach.
 */
function builtRenderer() {
  const root = mkdtempSync(join(tmpdir(), 'obs-sync-app-protocol-'))
  const dir = join(root, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>OBS Sync</title>')
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'SECRET-OUTSIDE')
  symlinkSync(join(root, 'secret.txt'), join(dir, 'assets', 'linked.txt'))
  const handle = createAppProtocolHandler(dir)
  return {
    dir,
    get: (url: string, method = 'GET') => handle(new Request(url, { method })),
  }
}

describe('the app:// protocol that serves the page (security finding #13)', () => {
  it('is registered privileged as standard and secure, without bypassing the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app')
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true })
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeFalsy()
  })

  it('serves the built index.html and its assets, with the CSP as a response header', async () => {
    const bundle = builtRenderer()
    const page = await bundle.get('app://bundle/index.html')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toBe('<!doctype html><title>OBS Sync</title>')
    const script = await bundle.get('app://bundle/assets/index-abc.js')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('console.log(1)')
    const head = await bundle.get('app://bundle/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('38')
  })

  it('path traversal is refused: nothing outside the built renderer folder is ever served', async () => {
    const bundle = builtRenderer()
    for (const url of [
      'app://bundle/../../etc/passwd',
      'app://bundle/../secret.txt',
      'app://bundle/..%2Fsecret.txt',
      'app://bundle/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'app://bundle/assets/..%2F..%2Fsecret.txt',
      `app://bundle/${encodeURIComponent(join(bundle.dir, '..', 'secret.txt'))}`,
      'app://bundle/assets/linked.txt',
      'app://bundle/assets/',
      'app://bundle/missing.js',
      'app://evil/index.html',
    ]) {
      const response = await bundle.get(url)
      const body = await response.text()
      expect(response.status, url).toBe(404)
      expect(body, url).not.toMatch(/SECRET-OUTSIDE|root:/)
    }
    expect((await bundle.get('app://bundle/index.html%00.js')).status).toBe(400)
  })

  it('only reads: other methods are refused', async () => {
    const bundle = builtRenderer()
    expect((await bundle.get('app://bundle/index.html', 'POST')).status).toBe(405)
  })

  it('the grantFileProtocolExtraPrivileges fuse is off in the package (electron-builder.yml)', () => {
    const yml = readFileSync(resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')
    const fuses = /^electronFuses:\n((?: {2}.*\n)+)/m.exec(yml)?.[1] ?? ''
    expect(fuses).toMatch(/^ {2}grantFileProtocolExtraPrivileges: false$/m)
    expect(fuses).toMatch(/^ {2}runAsNode: false$/m)
  })
})

describe('navigation and new windows', () => {
  it('navigation blocked: will-navigate, will-frame-navigate and will-redirect are all prevented', () => {
    const contents = fakeContents()
    expect(contents.emit('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.emit('will-navigate', 'app://bundle/assets/other.html')).toBe(true)
    expect(contents.emit('will-frame-navigate')).toBe(true)
    expect(contents.emit('will-redirect')).toBe(true)
    expect(contents.opened).toEqual([])
  })

  it('navigation blocked: a clicked https link opens in the browser instead, anything else nowhere', () => {
    const contents = fakeContents()
    expect(contents.emit('will-navigate', 'https://console.otc.t-systems.com/kms')).toBe(true)
    expect(contents.emit('will-navigate', 'http://example.com/')).toBe(true)
    expect(contents.emit('will-navigate', 'javascript:alert(1)')).toBe(true)
    expect(contents.opened).toEqual(['https://console.otc.t-systems.com/kms'])
  })

  it('window.open denied: always, with https links handed to the browser after the allowlist check', () => {
    const contents = fakeContents()
    for (const url of [
      'https://console.huaweicloud.com/dew/',
      'http://example.com/',
      'file:///etc/passwd',
      'smb://server/share',
      'https://user:pass@evil.example/',
      'about:blank',
    ]) {
      expect(contents.windowOpen(url), url).toEqual({ action: 'deny' })
    }
    expect(contents.opened).toEqual(['https://console.huaweicloud.com/dew/'])
  })

  it('no webview can be attached', () => {
    const contents = fakeContents()
    expect(contents.has('will-attach-webview')).toBe(true)
    expect(contents.emit('will-attach-webview')).toBe(true)
  })

  it('the external URL allowlist: https with a host, no credentials, bounded length', () => {
    expect(isSafeExternalUrl('https://console.aws.amazon.com/kms/home')).toBe(true)
    for (const url of [
      'http://console.aws.amazon.com/',
      'HTTPS:/',
      'https://a:b@example.com/',
      'vscode://open',
      'ms-settings:',
      `https://example.com/${'a'.repeat(3000)}`,
      42,
      undefined,
    ]) {
      expect(isSafeExternalUrl(url), String(url).slice(0, 40)).toBe(false)
    }
  })
})

it('security checklist', () => {
  const session = fakeSession()
  const contents = fakeContents()
  const p = prefs()
  const checklist: Array<[string, () => boolean]> = [
    ['contextIsolation', () => p.contextIsolation === true],
    ['sandbox', () => p.sandbox === true],
    [
      'nodeIntegration off',
      () =>
        p.nodeIntegration === false &&
        p.nodeIntegrationInWorker === false &&
        p.nodeIntegrationInSubFrames === false,
    ],
    ['webSecurity', () => p.webSecurity === true && p.allowRunningInsecureContent === false],
    ['no webview', () => p.webviewTag === false && contents.emit('will-attach-webview')],
    ['no DevTools in production', () => p.devTools === false],
    ['CSP header', () => session.headersFor()['Content-Security-Policy']?.[0] === CONTENT_SECURITY_POLICY],
    [
      'navigation blocked',
      () =>
        contents.emit('will-navigate') &&
        contents.emit('will-redirect') &&
        contents.emit('will-frame-navigate'),
    ],
    ['window.open denied', () => contents.windowOpen('https://example.com/')?.action === 'deny'],
    [
      'external links https only',
      () => !isSafeExternalUrl('file:///etc/passwd') && !isSafeExternalUrl('http://x.y/'),
    ],
    [
      'remote content blocked',
      () => session.cancels('https://example.com/x.js') && !session.cancels(INDEX_URL),
    ],
    [
      'permissions denied',
      () => session.permissionRequestGranted('media') === false && !session.permissionCheck('media'),
    ],
  ]
  const failed = checklist.filter(([, verify]) => !verify()).map(([item]) => item)
  expect(checklist.map(([item]) => item)).toEqual([
    'contextIsolation',
    'sandbox',
    'nodeIntegration off',
    'webSecurity',
    'no webview',
    'no DevTools in production',
    'CSP header',
    'navigation blocked',
    'window.open denied',
    'external links https only',
    'remote content blocked',
    'permissions denied',
  ])
  expect(failed).toEqual([])
})
