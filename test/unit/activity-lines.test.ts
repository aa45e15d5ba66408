// @vitest-environment happy-dom
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../main/core/data-files'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import { openStateDb } from '../../main/core/sync/state-db'
import type { Activity, ActivityExtra } from '../../preload/contract/sync-models'
import { activityText } from '../../renderer/src/components/activity/activity-text'
import { setLocale } from '../../renderer/src/i18n'
import { offlinePairInput, offlineSyncService } from './sync-fixtures'

/**
 * Activity lines built in core (folder scans, skipped files, mirror deletions, a watched folder back or missing,
 * a file changed in the bucket) carry what they say as data, and the activity view words them in the window's
 * language; main's English sentence (what the CLI prints) stays as it was.
 */
let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'obs-sync-activity-lines-'))
})
afterEach(async () => {
  setLocale('en')
  await rm(root, { recursive: true, force: true })
})

/** A watched folder's first pass, with no connection (nothing in it needs uploading): its activity lines. */
async function firstPass(folder: string): Promise<Activity[]> {
  const dataDir = join(root, 'data')
  await mkdir(dataDir)
  const { sync, statuses, activity, close } = offlineSyncService(dataDir)
  await sync.add(offlinePairInput(folder))
  await close()
  expect(statuses.some((s) => s.state === 'idle')).toBe(true)
  return activity
}

const LINK = 'a symbolic link (links are not followed, so nothing outside the folder is uploaded)'

describe('skipped files: the reason as a code, worded per language', () => {
  it('a link, a pipe and an oversized .obsignore found by a real scan, in English, German and Chinese', async () => {
    const folder = join(root, 'Fotos')
    await mkdir(folder)
    await symlink('/etc/hostname', join(folder, 'link.txt'))
    execFileSync('mkfifo', [join(folder, 'pipe')])
    await writeFile(join(folder, '.obsignore'), 'x'.repeat(1024 * 1024 + 1))
    const lines = (await firstPass(folder)).filter((a) => a.line?.kind === 'skipped')
    const byPath = (name: string) => lines.find((a) => a.line?.params.path === join(folder, name))!
    const link = byPath('link.txt')
    const pipe = byPath('pipe')
    const ignoreFile = byPath('.obsignore')
    // The CLI's English sentence is unchanged.
    expect(link.message).toBe(`${join(folder, 'link.txt')} is skipped: ${LINK}.`)
    expect(link.line).toEqual({ kind: 'skipped', params: { path: join(folder, 'link.txt'), why: 'link' } })
    expect(pipe.line?.params.why).toBe('special')
    expect(ignoreFile.line?.params.why).toBe('tooLarge')
    // English windows say what the CLI says.
    for (const line of [link, pipe, ignoreFile]) expect(activityText(line)).toBe(line.message)
    setLocale('de')
    expect(activityText(link)).toBe(
      `${join(folder, 'link.txt')} wird übersprungen: eine symbolische Verknüpfung (Verknüpfungen werden nicht verfolgt, damit nichts außerhalb des Ordners hochgeladen wird).`,
    )
    expect(activityText(pipe)).toBe(
      `${join(folder, 'pipe')} wird übersprungen: keine reguläre Datei (Gerät, Socket oder Pipe).`,
    )
    setLocale('zh-CN')
    expect(activityText(ignoreFile)).toBe(`已跳过 ${join(folder, '.obsignore')}：大于 1 MiB，未读取。`)
  })

  it('an unreadable entry names the system error; an unknown reason falls back to the English sentence', () => {
    const unreadable: Activity = {
      at: '2026-11-30T09:00:00.000Z',
      level: 'warning',
      message: '/data/x is skipped: cannot be read (EIO).',
      line: { kind: 'skipped', params: { path: '/data/x', why: 'unreadable', errno: 'EIO' } },
    }
    setLocale('de')
    expect(activityText(unreadable)).toBe('/data/x wird übersprungen: nicht lesbar (EIO).')
    const fromNewerMain = {
      ...unreadable,
      line: { kind: 'skipped' as const, params: { path: '/x', why: 'later' } },
    }
    expect(activityText(fromNewerMain)).toBe(unreadable.message)
  })
})

describe('scans, mirror deletions, a folder back, a remote change: worded per language', () => {
  const line = (kind: NonNullable<Activity['line']>['kind'], params: Record<string, string | number>) =>
    ({
      at: '2026-11-30T09:00:00.000Z',
      level: 'info',
      message: 'English',
      line: { kind, params },
    }) as Activity

  it('German', () => {
    setLocale('de')
    expect(activityText(line('scan-found', { count: 1, folder: '/home/ana/Fotos' }))).toBe(
      '/home/ana/Fotos durchsucht: 1 Datei wird hochgeladen.',
    )
    expect(activityText(line('scan-found', { count: 1200, folder: '/home/ana/Fotos' }))).toBe(
      '/home/ana/Fotos durchsucht: 1.200 Dateien werden hochgeladen.',
    )
    expect(activityText(line('mirror-deleted', { key: 'fotos/a.jpg' }))).toBe(
      'fotos/a.jpg gelöscht (Spiegelung einer lokalen Löschung).',
    )
    expect(activityText(line('folder-back', { folder: '/mnt/nas' }))).toBe(
      'Der überwachte Ordner /mnt/nas ist wieder da: Die Synchronisierung läuft weiter.',
    )
    expect(
      activityText(
        line('remote-conflict', { key: 'plan.txt', renamed: 'plan.sync-conflict-20261130-090000.txt' }),
      ),
    ).toBe(
      'plan.txt wurde seit dem letzten Upload im Bucket geändert; die lokale Version wird als plan.sync-conflict-20261130-090000.txt hochgeladen.',
    )
  })

  it('Chinese', () => {
    setLocale('zh-CN')
    expect(activityText(line('scan-found', { count: 3, folder: '/home/ana/照片' }))).toBe(
      '已扫描 /home/ana/照片：3 个文件待上传。',
    )
    expect(activityText(line('mirror-deleted', { key: 'a.jpg' }))).toBe('已删除 a.jpg（镜像本地的删除）。')
  })

  it('English is the CLI sentence', () => {
    expect(activityText(line('scan-found', { count: 2, folder: '/f' }))).toBe(
      '2 files to upload after scanning /f.',
    )
    expect(activityText(line('mirror-deleted', { key: 'k' }))).toBe('Deleted k (mirror of a local deletion).')
  })

  it('a line that only reports an error (a failed scan) is worded as that error', () => {
    const failedScan: Activity = {
      at: '2026-11-30T09:00:00.000Z',
      level: 'error',
      message: 'The bucket "fotos" does not exist.',
      error: {
        code: 'NO_SUCH_BUCKET',
        message: 'The bucket "fotos" does not exist.',
        params: { bucket: 'fotos' },
      },
    }
    expect(activityText(failedScan)).toBe(failedScan.message)
    setLocale('de')
    expect(activityText(failedScan)).toBe('Den Bucket „fotos“ gibt es nicht.')
  })
})

describe('the rare lines about our own data: worded per language, the CLI English unchanged', () => {
  const asLine = (level: Activity['level'], message: string, extra: ActivityExtra): Activity => ({
    at: '2026-11-30T09:00:00.000Z',
    level,
    message,
    ...extra,
  })
  /** What a start with a garbage DB file tells (the real opener of each DB, the real set-aside). */
  function setAside(open: typeof openStateDb | typeof openQueueDatabase, name: string): Activity {
    const path = join(root, name)
    writeFileSync(path, Buffer.alloc(9000, 7))
    const told: Activity[] = []
    open(path, { onSetAside: (message, extra) => told.push(asLine('error', message, extra)) }).close()
    expect(told).toHaveLength(1)
    return told[0]!
  }

  it('a damaged sync state and a damaged upload queue set aside', () => {
    const state = setAside(openStateDb, 'state.db')
    const queue = setAside(openQueueDatabase, 'queue.db')
    const aside = (name: string) =>
      join(root, readdirSync(root).find((f) => f.startsWith(`${name}.corrupt-`))!)
    expect(state.line).toEqual({
      kind: 'state-db-set-aside',
      params: { path: join(root, 'state.db'), aside: aside('state.db') },
    })
    expect(queue.line?.kind).toBe('queue-db-set-aside')
    // English windows say what the CLI and the log say.
    expect(activityText(state)).toBe(state.message)
    expect(activityText(queue)).toBe(queue.message)
    setLocale('de')
    expect(activityText(state)).toBe(
      `Der Synchronisierungsstand (${join(root, 'state.db')}) war beschädigt und nicht lesbar: Er wurde nach ${aside('state.db')} verschoben und ein neuer angelegt. Überwachte Ordner werden beim nächsten Durchlauf mit dem Bucket verglichen: Dateien, die schon dort sind (gleiches SHA-256), werden nicht erneut hochgeladen.`,
    )
    expect(activityText(queue)).toContain(
      `Die Upload-Warteschlange (${join(root, 'queue.db')}) war beschädigt`,
    )
    setLocale('zh-CN')
    expect(activityText(queue)).toBe(
      `上传队列（${join(root, 'queue.db')}）已损坏，无法读取：已移至 ${aside('queue.db')} 并新建了一个。其中等待的上传已不再可知：请重新添加（监视的文件夹会自动补上）。`,
    )
  })

  it('a data folder other users can read', () => {
    const dir = join(root, 'open-data')
    mkdirSync(dir, { mode: 0o755 })
    chmodSync(dir, 0o755)
    const [message, extra] = prepareDataDir(dir, 'linux') ?? ['', {}]
    const told = asLine('warning', message, extra)
    expect(activityText(told)).toBe(
      `The data folder ${dir} can be read by other users of this computer (mode 755); run: chmod 700 "${dir}"`,
    )
    setLocale('de')
    expect(activityText(told)).toBe(
      `Der Datenordner ${dir} ist für andere Benutzer dieses Computers lesbar (Modus 755); führen Sie aus: chmod 700 "${dir}"`,
    )
    setLocale('zh-CN')
    expect(activityText(told)).toBe(
      `此计算机的其他用户可以读取数据文件夹 ${dir}（模式 755）；请运行：chmod 700 "${dir}"`,
    )
  })

  it('the sync state on a full disk, saved again, and a record that failed (as pair-runner sends them)', () => {
    const folder = '/home/ana/Fotos'
    const full = asLine('error', 'The disk is full: the sync state of /home/ana/Fotos ...', {
      error: {
        code: 'DISK_FULL',
        message: 'The disk is full: the sync state of /home/ana/Fotos ...',
        params: { cause: 'stateDiskFull', folder },
      },
    })
    const saved = asLine('info', 'The sync state of /home/ana/Fotos is saved again.', {
      line: { kind: 'state-saved', params: { folder } },
    })
    const failed = asLine('error', 'An upload from /home/ana/Fotos could not be recorded: ...', {
      line: { kind: 'record-failed', params: { folder } },
      error: { code: 'INTERNAL', message: 'Something went wrong inside OBS Sync. Details are in the log.' },
    })
    expect(activityText(saved)).toBe(saved.message)
    setLocale('de')
    expect(activityText(full)).toBe(
      'Der Datenträger ist voll: Der Synchronisierungsstand von /home/ana/Fotos (was hochgeladen wurde) kann nicht gespeichert werden. Uploads laufen weiter; schaffen Sie Platz, dann wird er von selbst gespeichert.',
    )
    expect(activityText(saved)).toBe(
      'Der Synchronisierungsstand von /home/ana/Fotos wird wieder gespeichert.',
    )
    expect(activityText(failed)).toMatch(
      /^Ein Upload aus \/home\/ana\/Fotos konnte nicht vermerkt werden: \S/,
    )
    expect(activityText(failed)).not.toContain('Something went wrong')
    setLocale('zh-CN')
    expect(activityText(full)).toBe(
      '磁盘已满：无法保存 /home/ana/Fotos 的同步状态（已上传的内容）。上传继续进行；释放一些空间后会自动保存。',
    )
    expect(activityText(saved)).toBe('/home/ana/Fotos 的同步状态已重新保存。')
  })
})
