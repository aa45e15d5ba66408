import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasDisplay } from '../../main/cli/open-browser'

const root = resolve(import.meta.dirname, '../..')

describe('npm start without an Electron binary', () => {
  it('this machine has no Electron binary (precondition of the next test)', () => {
    expect(existsSync(resolve(root, 'node_modules/electron/path.txt'))).toBe(false)
  })

  it('says so in one line, then serves the web UI on 127.0.0.1 and opens its URL (with the token) in the browser', async () => {
    const home = await mkdtemp(join(tmpdir(), 'obs-sync-start-'))
    // The "default browser": xdg-open (here without any desktop's settings) runs $BROWSER with the URL.
    const opened = join(home, 'opened.txt')
    const browser = join(home, 'browser.sh')
    await writeFile(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`)
    await chmod(browser, 0o755)
    const child = spawn(process.execPath, [resolve(root, 'main/launch.mjs')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: home,
        XDG_CONFIG_DIRS: home,
        XDG_DATA_HOME: home,
        XDG_DATA_DIRS: home,
        OBS_SYNC_HOME: join(home, 'data'),
        DISPLAY: ':99',
        BROWSER: browser,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    try {
      const url = await new Promise<string>((found, fail) => {
        child.stdout.on('data', () => {
          const match = /OBS Sync web UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout)
          if (match?.[1]) found(match[1])
        })
        child.on('exit', () => fail(new Error(`exited before serving:\n${stdout}\n${stderr}`)))
      })
      expect(stderr.trim().split('\n')[0]).toBe(
        'No Electron binary on this machine (none installed, none could be downloaded): starting the headless web UI instead.',
      )
      // The token moves into a cookie on the first load (web-server.ts); the page is then served with it.
      const first = await fetch(url, { redirect: 'manual' })
      expect(first.status).toBe(303)
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const page = await fetch(new URL('/', url), { headers: { Cookie: cookie } })
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<title>OBS Sync</title>')
      // The browser is started without waiting for it: wait for its file.
      for (let i = 0; i < 100 && !existsSync(opened); i++) await new Promise((r) => setTimeout(r, 100))
      expect(await readFile(opened, 'utf8')).toBe(url)
      expect(stderr).not.toMatch(/\n\s+at /)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 240_000)
})

describe('opening a browser', () => {
  it('only where there is a display: an X11 or Wayland session, or a macOS / Windows desktop', () => {
    expect(hasDisplay({}, 'linux')).toBe(false)
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true)
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true)
    expect(hasDisplay({}, 'darwin')).toBe(true)
    expect(hasDisplay({}, 'win32')).toBe(true)
  })
})
