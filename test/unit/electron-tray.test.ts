import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { DISK_FULL_MESSAGE } from '../../main/core/errors'
import { summarizeStatus } from '../../main/core/queue/status-summary'
import { EMPTY_STATUS } from '../../main/electron/status-feed'
import { createTrayController, type TrayController, toMenuItems } from '../../main/electron/tray'
import { createTrayActionRunner } from '../../main/electron/tray-actions'
import { ENGLISH_TRAY_LABELS, trayLabels } from '../../main/electron/tray-labels'
import {
  folderName,
  MAX_FOLDER_ENTRIES,
  type TrayMenuEntry,
  trayMenuTemplate,
} from '../../main/electron/tray-menu'
import { relativeTime, trayIconState, trayTooltip } from '../../main/electron/tray-status'
import type { Envelope } from '../../preload/contract/envelope'
import type { StatusSummary } from '../../preload/contract/queue-models'

// Electron's Tray and Menu, faked: the tray records what it was given, Menu keeps the template as data.
const fake = vi.hoisted(() => ({ trays: [] as Array<Record<string, unknown[]>> }))
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
  Tray: class {
    calls: Record<string, unknown[]> = { image: [], tooltip: [], menu: [], destroyed: [], click: [] }
    constructor(image: unknown) {
      this.calls.image?.push(image)
      fake.trays.push(this.calls)
    }
    on(_name: string, listener: unknown) {
      this.calls.click?.push(listener)
    }
    setImage(image: unknown) {
      this.calls.image?.push(image)
    }
    setToolTip(text: string) {
      this.calls.tooltip?.push(text)
    }
    setContextMenu(menu: unknown) {
      this.calls.menu?.push(menu)
    }
    destroy() {
      this.calls.destroyed?.push(true)
    }
  },
}))

const NOW = new Date('2026-03-01T12:00:00Z')
const FIVE_MINUTES_AGO = '2026-03-01T11:55:00Z'

function status(overrides: Partial<StatusSummary> = {}): StatusSummary {
  return { ...EMPTY_STATUS, lastSyncAt: FIVE_MINUTES_AGO, ...overrides }
}

/** The menu as readable lines: "label [action]" or "(label)" for disabled, "---" for separators. */
function render(entries: TrayMenuEntry[]): string[] {
  return entries.map((entry) => {
    if (entry.type === 'separator') return '---'
    const action = entry.action
      ? ` [${entry.action.id}${'path' in entry.action ? ` ${entry.action.path}` : ''}]`
      : ''
    return entry.enabled ? `${entry.label}${action}` : `(${entry.label})${action}`
  })
}

const COMMON_TAIL = ['---', 'Open OBS Sync [open-window]', '---', 'Quit OBS Sync [quit]']

describe('the tray menu for each status', () => {
  it('idle: up to date, last sync, pause enabled, resume disabled', () => {
    expect(render(trayMenuTemplate(status(), NOW))).toEqual([
      '(Up to date)',
      '(Last sync: 5 min ago)',
      '---',
      'Pause all [pause-all]',
      '(Resume all) [resume-all]',
      ...COMMON_TAIL,
    ])
  })

  it('syncing 3: uploading 3 files, with those waiting', () => {
    const lines = render(trayMenuTemplate(status({ state: 'syncing', running: 3, queued: 2 }), NOW))
    expect(lines.slice(0, 2)).toEqual(['(Uploading 3 files, 2 waiting)', '(Last sync: 5 min ago)'])
    expect(lines).toContain('Pause all [pause-all]')
    expect(render(trayMenuTemplate(status({ state: 'syncing', running: 1 }), NOW))[0]).toBe(
      '(Uploading 1 file)',
    )
    expect(render(trayMenuTemplate(status({ state: 'syncing', queued: 4 }), NOW))[0]).toBe(
      '(4 files waiting)',
    )
  })

  it('paused: paused with what waits, resume enabled, pause disabled', () => {
    const lines = render(
      trayMenuTemplate(status({ state: 'paused', pausedByUser: true, queued: 5, paused: 2 }), NOW),
    )
    expect(lines.slice(0, 5)).toEqual([
      '(Paused, 7 waiting)',
      '(Last sync: 5 min ago)',
      '---',
      '(Pause all) [pause-all]',
      'Resume all [resume-all]',
    ])
  })

  it('2 failed: the failures instead of "up to date", resume disabled unless jobs are paused', () => {
    const lines = render(trayMenuTemplate(status({ state: 'error', failed: 2 }), NOW))
    expect(lines.slice(0, 2)).toEqual(['(2 failed)', '(Last sync: 5 min ago)'])
    expect(lines).not.toContain('(Up to date)')
    const whileSyncing = render(
      trayMenuTemplate(status({ state: 'syncing', running: 1, failed: 2, paused: 1 }), NOW),
    )
    expect(whileSyncing.slice(0, 3)).toEqual(['(Uploading 1 file)', '(2 failed)', '(Last sync: 5 min ago)'])
    expect(whileSyncing).toContain('Resume all [resume-all]')
  })

  it('an account on hold (error without failures): needs attention', () => {
    expect(render(trayMenuTemplate(status({ state: 'error', queued: 3 }), NOW))[0]).toBe('(Needs attention)')
  })

  it('offline: waiting to retry, never synced', () => {
    const lines = render(
      trayMenuTemplate(
        status({ state: 'offline', queued: 4, offlineSince: NOW.toISOString(), lastSyncAt: undefined }),
        NOW,
      ),
    )
    expect(lines.slice(0, 2)).toEqual(['(Offline (4 files waiting))', '(Last sync: never)'])
  })

  it('offline with a retry due: counts down to it', () => {
    const offline = status({
      state: 'offline',
      queued: 4,
      offlineSince: NOW.toISOString(),
      retryAt: new Date(NOW.getTime() + 11_200).toISOString(),
    })
    expect(render(trayMenuTemplate(offline, NOW))[0]).toBe('(Offline, retrying in 12 s (4 files waiting))')
    const later = new Date(NOW.getTime() + 20_000)
    expect(render(trayMenuTemplate(offline, later))[0]).toBe('(Offline, retrying now (4 files waiting))')
  })

  it('with watched folders: one "Open <folder>" entry each, opening its path; duplicates shown in full', () => {
    const folders = [
      { id: 'a', localPath: '/home/me/Photos', paused: false },
      { id: 'b', localPath: 'C:\\Users\\me\\Documents\\', paused: true },
      { id: 'c', localPath: '/home/me/work/Reports', paused: false },
      { id: 'd', localPath: '/mnt/backup/Reports', paused: false },
    ]
    const lines = render(trayMenuTemplate(status({ watchedFolders: folders }), NOW))
    expect(lines.slice(5)).toEqual([
      '---',
      'Open OBS Sync [open-window]',
      'Open Photos [open-folder /home/me/Photos]',
      'Open Documents (paused) [open-folder C:\\Users\\me\\Documents\\]',
      'Open /home/me/work/Reports [open-folder /home/me/work/Reports]',
      'Open /mnt/backup/Reports [open-folder /mnt/backup/Reports]',
      '---',
      'Quit OBS Sync [quit]',
    ])
  })

  it('many watched folders: the first ten, then a link to the window', () => {
    const folders = Array.from({ length: 13 }, (_, i) => ({
      id: `f${i}`,
      localPath: `/data/f${i}`,
      paused: false,
    }))
    const lines = render(trayMenuTemplate(status({ watchedFolders: folders }), NOW))
    expect(lines.filter((line) => line.includes('[open-folder'))).toHaveLength(MAX_FOLDER_ENTRIES)
    expect(lines).toContain('3 more folders… [open-window]')
  })

  it('labels can be replaced (translation) without touching the logic', () => {
    const lines = render(trayMenuTemplate(status(), NOW, { upToDate: 'Aktuell', quit: 'Beenden' }))
    expect(lines[0]).toBe('(Aktuell)')
    expect(lines.at(-1)).toBe('Beenden [quit]')
  })

  it('folder names: last segment of POSIX and Windows paths', () => {
    expect(folderName('/home/me/Photos/')).toBe('Photos')
    expect(folderName('D:\\Scans')).toBe('Scans')
    expect(folderName('/')).toBe('/')
  })
})

describe('the tray names the cause, not only a count (#14)', () => {
  const counts = { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0 }
  const base = {
    counts,
    pausedByUser: false,
    heldAccounts: [],
    bytesPerSecond: 0,
    watchedFolders: [],
    lastSyncAt: FIVE_MINUTES_AGO,
  }
  /** The menu lines and the tooltip the real tray controller draws (fake Electron Tray) for a summary. */
  function drawn(inputs: Partial<Parameters<typeof summarizeStatus>[0]>) {
    const controller = createTrayController({
      icons: { idle: 'I', syncing: 'S', paused: 'P', error: 'E', offline: 'O' } as never,
      initialStatus: summarizeStatus({ ...base, ...inputs }),
      onAction: () => {},
      onClick: () => {},
      platform: 'linux',
      now: () => NOW,
      refreshMs: 60_000,
    })
    const calls = fake.trays.at(-1) ?? {}
    const menu = (calls.menu?.at(-1) as { template: Array<{ label?: string }> } | undefined)?.template ?? []
    const result = { labels: menu.map((item) => item.label ?? '---'), tooltip: String(calls.tooltip?.at(-1)) }
    controller.destroy()
    return result
  }

  it.each([
    [
      'disk full',
      {
        diskFull: { code: 'DISK_FULL' as const, message: DISK_FULL_MESSAGE },
        counts: { ...counts, queued: 4 },
      },
      /^Disk full: The disk is full: OBS Sync could not save its data/,
    ],
    [
      'offline',
      {
        offlineSince: NOW.toISOString(),
        offlineError: { code: 'NETWORK' as const, message: 'The connection to https://rgw stalled.' },
        counts: { ...counts, queued: 2 },
      },
      /^Offline: The connection to https:\/\/rgw stalled\.$/,
    ],
    [
      'keychain unavailable',
      {
        heldAccounts: [
          {
            accountId: 'a',
            reason: { code: 'KEYCHAIN_UNAVAILABLE' as const, message: 'The OS keychain cannot be reached.' },
          },
        ],
        counts: { ...counts, queued: 3 },
      },
      /^Keychain unavailable: The OS keychain cannot be reached\.$/,
    ],
    [
      'folder missing',
      {
        watchedFolders: [
          {
            id: 'p',
            localPath: '/home/me/Photos',
            paused: false,
            problem: {
              code: 'FOLDER_MISSING' as const,
              message: 'The watched folder /home/me/Photos is missing.',
            },
          },
        ],
      },
      /^Folder missing: The watched folder \/home\/me\/Photos is missing\.$/,
    ],
    [
      'bad credentials',
      {
        heldAccounts: [
          {
            accountId: 'b',
            reason: { code: 'BAD_CREDENTIALS' as const, message: 'The secret of "lab" is wrong.' },
          },
        ],
        counts: { ...counts, queued: 1 },
      },
      /^Bad credentials: The secret of "lab" is wrong\.$/,
    ],
    [
      'a KMS key problem',
      {
        failures: [
          { code: 'KMS_KEY_NOT_FOUND' as const, message: 'KMS key "nokey-9" does not exist.', jobs: 20 },
        ],
        counts: { ...counts, failed: 1, paused: 19 },
      },
      /^KMS key problem \(20 uploads\): KMS key "nokey-9" does not exist\.$/,
    ],
  ])('%s: a menu line says it, and the tooltip too', (_name, inputs, line) => {
    const { labels, tooltip } = drawn(inputs)
    const named = labels.find((label) => line.test(label))
    expect(named, labels.join(' | ')).toBeDefined()
    expect(labels.every((label) => label.length <= 90)).toBe(true)
    // The tooltip repeats the lines (cut at Windows' 127 characters): the cause's beginning is in it.
    expect(tooltip).toContain(named?.slice(0, 30))
  })

  it('more than two causes: two named, the rest counted', () => {
    const held = (n: number) => ({
      accountId: `a${n}`,
      reason: { code: 'BAD_CREDENTIALS' as const, message: `The secret of "a${n}" is wrong.` },
    })
    const { labels } = drawn({ heldAccounts: [held(1), held(2), held(3), held(4)] })
    expect(labels.filter((l) => l.startsWith('Bad credentials'))).toHaveLength(2)
    expect(labels).toContain('and 2 more problems (open the window)')
  })
})

describe('tooltip, icon and times', () => {
  it('the tooltip names the app and repeats the status lines, within Windows’ 127 characters', () => {
    expect(trayTooltip(status({ state: 'syncing', running: 3 }), NOW)).toBe(
      'OBS Sync\nUploading 3 files\nLast sync: 5 min ago',
    )
    expect(trayTooltip(status(), NOW, { appName: 'x'.repeat(200) }).length).toBeLessThanOrEqual(127)
  })

  it('an icon per state: idle, syncing, paused, error (and offline)', () => {
    expect(trayIconState(status())).toBe('idle')
    expect(trayIconState(status({ state: 'syncing', running: 3 }))).toBe('syncing')
    expect(trayIconState(status({ state: 'paused', pausedByUser: true }))).toBe('paused')
    expect(trayIconState(status({ state: 'error', failed: 2 }))).toBe('error')
    expect(trayIconState(status({ state: 'idle', failed: 1 }))).toBe('error')
    expect(trayIconState(status({ state: 'offline', queued: 1 }))).toBe('offline')
  })

  it('relative times: just now, minutes, hours, then the day', () => {
    const labels = ENGLISH_TRAY_LABELS
    expect(relativeTime('2026-03-01T11:59:30Z', NOW, labels)).toBe('just now')
    expect(relativeTime('2026-03-01T09:10:00Z', NOW, labels)).toBe('2 h ago')
    expect(relativeTime('2026-02-20T09:10:00Z', NOW, labels)).toBe('on 2026-02-20')
    expect(relativeTime('garbage', NOW, labels)).toBe('never')
  })
})

describe('the Electron tray', () => {
  function startTray(initial = status()) {
    const actions: unknown[] = []
    let now = NOW
    const icons = { idle: 'I', syncing: 'S', paused: 'P', error: 'E', offline: 'O' } as never
    const controller: TrayController = createTrayController({
      icons,
      initialStatus: initial,
      onAction: (action) => actions.push(action),
      onClick: () => actions.push('click'),
      platform: 'linux',
      now: () => now,
      refreshMs: 60_000,
    })
    const calls = fake.trays.at(-1) ?? {}
    type Template = Array<{ label?: string; click?: () => void }>
    const lastMenu = () => ((calls.menu ?? []).at(-1) as { template: Template }).template
    return {
      controller,
      calls,
      actions,
      lastMenu,
      advance: (ms: number) => (now = new Date(now.getTime() + ms)),
    }
  }

  it('menu items: status lines disabled, clicks call the action, & escaped outside macOS', () => {
    const actions: unknown[] = []
    const items = toMenuItems(
      trayMenuTemplate(
        status({ watchedFolders: [{ id: 'a', localPath: '/x/Tom & Jerry', paused: false }] }),
        NOW,
      ),
      (action) => actions.push(action),
      'win32',
    )
    expect(items[0]).toEqual({ label: 'Up to date', enabled: false })
    expect(items[2]).toEqual({ type: 'separator' })
    const folder = items.find((item) => item.label?.startsWith('Open Tom'))
    expect(folder?.label).toBe('Open Tom && Jerry')
    folder?.click?.({} as never, undefined, {} as never)
    expect(actions).toEqual([{ id: 'open-folder', path: '/x/Tom & Jerry' }])
    const mac = toMenuItems(trayMenuTemplate(status(), NOW, { upToDate: 'A & B' }), () => {}, 'darwin')
    expect(mac[0]?.label).toBe('A & B')
  })

  it('draws icon, tooltip and menu from the status, and redraws only what changed', () => {
    const tray = startTray()
    expect(tray.calls.image).toEqual(['I'])
    expect(tray.calls.tooltip).toEqual(['OBS Sync\nUp to date\nLast sync: 5 min ago'])
    expect(tray.calls.menu).toHaveLength(1)

    tray.controller.update(status({ state: 'syncing', running: 3 }))
    expect(tray.calls.image).toEqual(['I', 'S'])
    expect(tray.lastMenu()[0]?.label).toBe('Uploading 3 files')

    tray.controller.update(status({ state: 'syncing', running: 3, bytesPerSecond: 123_456 }))
    expect(tray.calls.image).toHaveLength(2)
    expect(tray.calls.tooltip).toHaveLength(2)
    expect(tray.calls.menu).toHaveLength(2)
    tray.controller.destroy()
    expect(tray.calls.destroyed).toEqual([true])
  })

  it('a click on the menu runs the action; a click on the icon opens the window', () => {
    const tray = startTray()
    tray
      .lastMenu()
      .find((item) => item.label === 'Pause all')
      ?.click?.()
    ;((tray.calls.click ?? [])[0] as () => void)()
    expect(tray.actions).toEqual([{ id: 'pause-all' }, 'click'])
    tray.controller.destroy()
  })

  it('keeps "last sync" current with a timer', () => {
    vi.useFakeTimers()
    try {
      const tray = startTray()
      tray.advance(60_000)
      vi.advanceTimersByTime(60_000)
      expect(tray.lastMenu()[1]?.label).toBe('Last sync: 6 min ago')
      tray.controller.destroy()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('tray actions', () => {
  function runner(answer: Envelope<unknown> = { ok: true, value: null }) {
    const calls: unknown[] = []
    const run = createTrayActionRunner({
      dispatch: async (channel, args) => {
        calls.push(['dispatch', channel, args])
        return answer
      },
      showWindow: () => calls.push('show'),
      openPath: async (path) => {
        calls.push(['open', path])
        return path.includes('gone') ? 'No such folder' : ''
      },
      quit: () => calls.push('quit'),
      report: (message) => calls.push(['report', message]),
    })
    return { run, calls }
  }

  it('pause all and resume all go through the contract’s channels with "all"', async () => {
    const { run, calls } = runner()
    await run({ id: 'pause-all' })
    await run({ id: 'resume-all' })
    expect(calls).toEqual([
      ['dispatch', 'queue:pause', ['all']],
      ['dispatch', 'queue:resume', ['all']],
    ])
  })

  it('open window, open folder, quit; failures are reported, not thrown', async () => {
    const { run, calls } = runner({ ok: false, error: { code: 'INTERNAL', message: 'Queue is closed.' } })
    // A real folder: open checks that the path still is a directory (security finding #9).
    const photos = await mkdtemp(join(tmpdir(), 'Photos-'))
    const refusedByShell = await mkdtemp(join(tmpdir(), 'gone-'))
    await run({ id: 'open-window' })
    await run({ id: 'open-folder', path: photos })
    await run({ id: 'open-folder', path: refusedByShell })
    await run({ id: 'pause-all' })
    await run({ id: 'quit' })
    expect(calls).toEqual([
      'show',
      ['open', photos],
      ['open', refusedByShell],
      ['report', `Could not open ${refusedByShell}: No such folder`],
      ['dispatch', 'queue:pause', ['all']],
      ['report', 'Queue is closed.'],
      'quit',
    ])
  })
})

describe('the tray in the user’s language (the window’s catalogue)', () => {
  const offline = status({
    state: 'offline',
    queued: 2,
    retryAt: new Date(NOW.getTime() + 8000).toISOString(),
    failed: 3,
    causes: [{ code: 'DISK_FULL', message: DISK_FULL_MESSAGE, jobs: 4 }],
    watchedFolders: [{ id: 'p', localPath: '/home/me/Fotos', paused: true }],
  })

  it.each([
    [
      'German',
      'de',
      [
        '(Offline, neuer Versuch in 8 s (2 Dateien warten))',
        '(Datenträger voll (4 Uploads): Der Datenträger ist voll.)',
        '(3 fehlgeschlagen)',
        '(Zuletzt synchronisiert: vor 5 Min.)',
        '---',
        'Alle anhalten [pause-all]',
        '(Alle fortsetzen) [resume-all]',
        '---',
        'OBS Sync öffnen [open-window]',
        'Fotos öffnen (angehalten) [open-folder /home/me/Fotos]',
        '---',
        'OBS Sync beenden [quit]',
      ],
    ],
    [
      'Chinese',
      'zh-CN',
      [
        '(离线，8 秒后重试（2 个文件等待中）)',
        '(磁盘已满（4 个上传）：磁盘已满。)',
        '(3 个失败)',
        '(上次同步：5 分钟前)',
        '---',
        '全部暂停 [pause-all]',
        '(全部继续) [resume-all]',
        '---',
        '打开 OBS Sync [open-window]',
        '打开 Fotos（已暂停） [open-folder /home/me/Fotos]',
        '---',
        '退出 OBS Sync [quit]',
      ],
    ],
  ] as const)('%s: status lines, the cause, counts and every entry', (_language, locale, lines) => {
    expect(render(trayMenuTemplate(offline, NOW, trayLabels(locale)))).toEqual(lines)
  })

  it('German: the tooltip', () => {
    expect(trayTooltip(status({ state: 'syncing', running: 1, queued: 4 }), NOW, trayLabels('de'))).toBe(
      'OBS Sync\nLädt 1 Datei hoch, 4 in der Warteschlange\nZuletzt synchronisiert: vor 5 Min.',
    )
  })

  it('a change of language redraws the menu and the tooltip', () => {
    const tray = createTrayController({
      icons: { idle: 'i', syncing: 's', paused: 'p', error: 'e', offline: 'o' } as never,
      initialStatus: status({ state: 'syncing', running: 2 }),
      onAction: () => {},
      onClick: () => {},
      platform: 'linux',
      now: () => NOW,
    })
    const calls = fake.trays.at(-1)!
    tray.setLabels(trayLabels('de'))
    expect(calls.tooltip?.at(-1)).toContain('Lädt 2 Dateien hoch')
    const menu = calls.menu?.at(-1) as { template: Array<{ label?: string }> }
    expect(menu.template.map((item) => item.label)).toContain('Alle anhalten')
    tray.destroy()
  })
})
