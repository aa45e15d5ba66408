import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { folderSignature } from '../../main/core/sync/folder-signature'
import { goneFiles } from '../../main/core/sync/gone-files'
import { createIgnoreRules } from '../../main/core/sync/ignore-rules'
import { type ScannedFolder, type ScanProblem, scanFolder } from '../../main/core/sync/scan-folder'
import { openStateDb, type StateDb } from '../../main/core/sync/state-db'

let root: string

function write(relPath: string, content = 'x'): void {
  mkdirSync(join(root, relPath, '..'), { recursive: true })
  writeFileSync(join(root, relPath), content)
}

async function scan(problems: ScanProblem[] = []): Promise<ScannedFolder[]> {
  const folders: ScannedFolder[] = []
  for await (const folder of scanFolder(root, createIgnoreRules(root), (p) => problems.push(p)))
    folders.push(folder)
  return folders
}

/**
 * Root reads every folder, so permission cases run the scan in a child process as `nobody` (setpriv, from
 * util-linux) when the tests run as root, and as the current user otherwise.
 */
function scanAsUnprivilegedUser(gonePaths: string[]): {
  files: string[]
  problems: ScanProblem[]
  gone: string[]
} {
  const script = [
    fileURLToPath(new URL('../support/fixtures/scan-report.ts', import.meta.url)),
    root,
    ...gonePaths,
  ]
  const node = [process.execPath, '--import', 'tsx', ...script]
  const asRoot = process.getuid?.() === 0
  if (asRoot) chmodSync(root, 0o755)
  const result = asRoot
    ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node], {
        encoding: 'utf8',
      })
    : spawnSync(node[0] as string, node.slice(1), { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`scan-report failed: ${result.stderr || result.error}`)
  return JSON.parse(result.stdout)
}

const relPaths = (folders: ScannedFolder[]) =>
  folders.flatMap((f) => f.files.map((file) => file.relPath)).sort()

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'obs-sync-scan-'))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('scanning a watched folder', () => {
  it('lists every regular file with size and mtime, one folder at a time, without following links', async () => {
    write('a.txt', 'hello')
    write('sub/b.txt')
    write('sub/deeper/c.txt')
    write('ünï code/文件 名.txt')
    symlinkSync(root, join(root, 'loop'))
    symlinkSync(join(root, 'a.txt'), join(root, 'link.txt'))
    const folders = await scan()
    expect(relPaths(folders)).toEqual(['a.txt', 'sub/b.txt', 'sub/deeper/c.txt', 'ünï code/文件 名.txt'])
    const a = folders.find((f) => f.relDir === '')?.files.find((f) => f.relPath === 'a.txt')
    expect(a).toMatchObject({ absPath: join(root, 'a.txt'), size: 5 })
    expect(folders.map((f) => f.relDir)).toContain('sub/deeper')
  })

  it('skips default-ignored names and .obsignore rules, at every level, without descending into ignored folders', async () => {
    write('keep.txt')
    write('.DS_Store')
    write('draft.tmp')
    write('node_modules/pkg/index.js')
    write('.obsignore', 'node_modules/\n*.log\n')
    write('logs/app.log')
    write('logs/keep.txt')
    write('logs/.obsignore', 'secret/\n')
    write('logs/secret/x.txt')
    write('other/secret/y.txt')
    expect(relPaths(await scan())).toEqual(['keep.txt', 'logs/keep.txt', 'other/secret/y.txt'])
  })

  it('reports an unreadable folder and goes on; a file it cannot look at is never counted as gone', () => {
    write('ok.txt')
    write('locked/x.txt')
    chmodSync(join(root, 'locked'), 0o000)
    try {
      const report = scanAsUnprivilegedUser(['locked/x.txt', 'deleted.txt'])
      expect(report.files).toEqual(['ok.txt'])
      expect(report.problems).toEqual([
        { path: join(root, 'locked'), why: 'permission', reason: 'permission denied' },
      ])
      expect(report.gone).toEqual(['deleted.txt'])
    } finally {
      chmodSync(join(root, 'locked'), 0o700)
    }
  })
})

describe('folder signatures', () => {
  const file = (relPath: string, size: number, mtimeMs: number) => ({
    relPath,
    absPath: `/x/${relPath}`,
    size,
    mtimeMs,
  })

  it('change when a file is added, removed, renamed, resized or touched', () => {
    const base = [file('a', 1, 1000.5), file('b', 2, 2000)]
    const sig = folderSignature(base)
    expect(folderSignature([file('a', 1, 1000.5), file('b', 2, 2000)])).toBe(sig)
    expect(folderSignature([...base, file('c', 0, 1)])).not.toBe(sig)
    expect(folderSignature([base[0] as never])).not.toBe(sig)
    expect(folderSignature([file('a2', 1, 1000.5), file('b', 2, 2000)])).not.toBe(sig)
    expect(folderSignature([file('a', 3, 1000.5), file('b', 2, 2000)])).not.toBe(sig)
    expect(folderSignature([file('a', 1, 1000.25), file('b', 2, 2000)])).not.toBe(sig)
  })
})

describe('the state DB keeps folder signatures honest', () => {
  let db: StateDb
  beforeEach(() => {
    db = openStateDb(join(root, 'state.db'))
  })
  afterEach(() => db.close())

  const row = (relPath: string) => ({
    pairId: 'p',
    relPath,
    size: 1,
    mtimeMs: 1,
    sha256: 'a'.repeat(64),
    objectKey: relPath,
    uploadedAt: new Date(0).toISOString(),
  })

  it('drops a folder signature when a file of that folder is recorded or forgotten, not others', () => {
    db.rememberFolders('p', [
      { relDir: 'docs', signature: 'sig-docs', fileCount: 2 },
      { relDir: '', signature: 'sig-root', fileCount: 1 },
      { relDir: 'docs/old', signature: 'sig-old', fileCount: 1 },
    ])
    db.record(row('docs/new.txt'))
    expect(db.folder('p', 'docs')).toBeUndefined()
    expect(db.folder('p', '')).toEqual({ signature: 'sig-root', fileCount: 1 })
    expect(db.folder('p', 'docs/old')).toEqual({ signature: 'sig-old', fileCount: 1 })
    db.forget('p', 'top.txt')
    expect(db.folder('p', '')).toBeUndefined()
    db.forgetPair('p')
    expect(db.folder('p', 'docs/old')).toBeUndefined()
  })

  it('lists the rows directly in a folder, not those of its subfolders or of look-alike folders', () => {
    for (const relPath of [
      'top.txt',
      'a/x.txt',
      'a/y.txt',
      'a/sub/z.txt',
      'a-b/w.txt',
      'a0/v.txt',
      '😀😀/a/b',
      '😀😀/c',
    ])
      db.record(row(relPath))
    db.markGone('p', ['a/y.txt'])
    expect([...db.rowsIn('p', '').keys()]).toEqual(['top.txt'])
    expect(db.rowsIn('p', 'a')).toEqual(
      new Map([
        ['a/x.txt', { size: 1, mtimeMs: 1, localGone: false }],
        ['a/y.txt', { size: 1, mtimeMs: 1, localGone: true }],
      ]),
    )
    expect([...db.rowsIn('p', 'a/sub').keys()]).toEqual(['a/sub/z.txt'])
    expect([...db.rowsIn('p', '😀😀').keys()]).toEqual(['😀😀/c'])
    expect([...db.rowsIn('other', 'a').keys()]).toEqual([])
  })

  it('keeps the row of a file deleted in an upload-only folder, marked gone and no longer counted', () => {
    db.record(row('a.txt'))
    db.record(row('b.txt'))
    db.rememberFolders('p', [{ relDir: '', signature: 'sig', fileCount: 2 }])
    db.markGone('p', ['a.txt'])
    expect(db.get('p', 'a.txt')).toMatchObject({ sha256: 'a'.repeat(64), localGone: true })
    expect(db.count('p')).toBe(1)
    expect(db.paths('p')).toEqual(['b.txt'])
    expect(db.folder('p', '')).toBeUndefined()
    db.markPresent('p', 'a.txt')
    expect(db.get('p', 'a.txt')?.localGone).toBeUndefined()
    expect(db.count('p')).toBe(2)
    db.markGone('p', ['b.txt'])
    db.record(row('b.txt'))
    expect(db.get('p', 'b.txt')?.localGone).toBeUndefined()
  })

  it('adds the gone marker to a state DB written before it existed, keeping its rows', () => {
    db.close()
    const path = join(root, 'old.db')
    const old = new Database(path)
    old.exec(`CREATE TABLE files (pair_id TEXT NOT NULL, rel_path TEXT NOT NULL, size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL, sha256 TEXT NOT NULL, object_key TEXT NOT NULL, etag TEXT, uploaded_at TEXT NOT NULL,
      PRIMARY KEY (pair_id, rel_path)) WITHOUT ROWID`)
    old.prepare("INSERT INTO files VALUES ('p', 'x.txt', 1, 1, 'h', 'x.txt', NULL, '2026-01-01')").run()
    old.close()
    db = openStateDb(path)
    expect(db.get('p', 'x.txt')).toMatchObject({ objectKey: 'x.txt', localGone: undefined })
    expect(db.count('p')).toBe(1)
  })
})

describe('files gone since the last pass', () => {
  it('are the deleted, replaced-by-folder and now-ignored ones; existing files stay', () => {
    write('still.txt')
    write('now-a-folder/inner.txt')
    write('ignored.tmp')
    const gone = goneFiles(
      root,
      ['still.txt', 'deleted.txt', 'now-a-folder', 'ignored.tmp', 'missing-dir/x.txt', 'still.txt/x'],
      createIgnoreRules(root),
    )
    expect(gone).toEqual(['deleted.txt', 'now-a-folder', 'ignored.tmp', 'missing-dir/x.txt', 'still.txt/x'])
  })

  it('sees a touched file as still there (only the signature changes)', () => {
    write('t.txt')
    utimesSync(join(root, 't.txt'), new Date(1), new Date(2))
    expect(goneFiles(root, ['t.txt'], createIgnoreRules(root))).toEqual([])
  })
})
