// Finding #1 (High): links in a watched or dropped folder must never carry a file from outside it.
// The one folder-walk rule (main/core/sync/folder-walk.ts): regular files inside the folder only; symbolic
// links are never followed and are reported; special files (FIFOs, devices, sockets) are reported and never
// opened; a hard link is a regular file and is uploaded. The watcher half runs against RGW in
// test/integration/security-watch-links.test.ts.
import { spawnSync } from 'node:child_process'
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { expandPaths } from '../../main/core/queue/expand-paths'
import { createIgnoreRules } from '../../main/core/sync/ignore-rules'
import { type ScanProblem, scanFolder } from '../../main/core/sync/scan-folder'

let base: string
let folder: string
let outside: string

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'obs-sync-walk-'))
  folder = join(base, 'watched')
  outside = join(base, 'outside')
  mkdirSync(join(folder, 'sub'), { recursive: true })
  mkdirSync(join(outside, 'private'), { recursive: true })
  writeFileSync(join(outside, 'secret.txt'), 'SECRET')
  writeFileSync(join(outside, 'private', 'key.pem'), 'KEY')
  writeFileSync(join(folder, 'plain.txt'), 'plain')
  writeFileSync(join(folder, 'sub', 'inner.txt'), 'inner')
  // A link to a file outside, a link to a folder outside, a hard link (a regular file), a FIFO.
  symlinkSync('../outside/secret.txt', join(folder, 'pre-link.txt'))
  symlinkSync(join(outside, 'private'), join(folder, 'sub', 'linked-dir'))
  linkSync(join(outside, 'secret.txt'), join(folder, 'hard-link.txt'))
  expect(spawnSync('mkfifo', [join(folder, 'pipe')]).status).toBe(0)
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

async function scanned(): Promise<{ files: string[]; problems: ScanProblem[] }> {
  const problems: ScanProblem[] = []
  const files: string[] = []
  for await (const f of scanFolder(folder, createIgnoreRules(folder), (p) => problems.push(p)))
    files.push(...f.files.map((file) => file.relPath))
  return { files: files.sort(), problems }
}

describe('#1 one folder-walk rule for scan and drop', () => {
  it('scan: uploads regular files and hard links; reports links to a file and a folder outside and the FIFO', async () => {
    const { files, problems } = await scanned()
    expect(files).toEqual(['hard-link.txt', 'plain.txt', 'sub/inner.txt'])
    const reported = Object.fromEntries(problems.map((p) => [p.path, p.reason]))
    expect(reported[join(folder, 'pre-link.txt')]).toMatch(/symbolic link/)
    expect(reported[join(folder, 'sub', 'linked-dir')]).toMatch(/symbolic link/)
    expect(reported[join(folder, 'pipe')]).toMatch(/not a regular file/)
  })

  it('drop: the same files as a scan, links and the FIFO reported, nothing from outside', async () => {
    const expansion = await expandPaths([folder])
    expect(expansion.files.map((f) => f.relativeKey).sort()).toEqual([
      'watched/hard-link.txt',
      'watched/plain.txt',
      'watched/sub/inner.txt',
    ])
    expect(expansion.files.every((f) => f.path.startsWith(folder))).toBe(true)
    const reported = Object.fromEntries(expansion.skipped.map((s) => [s.path, s.reason]))
    expect(reported[join(folder, 'pre-link.txt')]).toMatch(/symbolic link/)
    expect(reported[join(folder, 'sub', 'linked-dir')]).toMatch(/symbolic link/)
    expect(reported[join(folder, 'pipe')]).toMatch(/not a regular file/)
  })

  it('drop and scan yield the same files from the same tree, ignore rules included', async () => {
    writeFileSync(join(folder, '.obsignore'), '*.log\nbuild/\n')
    writeFileSync(join(folder, 'debug.log'), 'x')
    writeFileSync(join(folder, 'draft.tmp'), 'x')
    writeFileSync(join(folder, '.DS_Store'), 'x')
    mkdirSync(join(folder, 'build'))
    writeFileSync(join(folder, 'build', 'out.bin'), 'x')
    writeFileSync(join(folder, 'sub', '.obsignore'), 'inner.txt\n')
    writeFileSync(join(folder, 'sub', 'kept.txt'), 'x')
    const { files } = await scanned()
    const dropped = (await expandPaths([folder])).files.map((f) => f.relativeKey.replace(/^watched\//, ''))
    expect(dropped.sort()).toEqual(files)
    expect(files).toEqual(['hard-link.txt', 'plain.txt', 'sub/kept.txt'])
  })

  it('a link created after the scan listed the folder is not followed at upload time either', async () => {
    // The queue reads the file when its turn comes: a file replaced by a link by then must not be read.
    const { snapshotSource } = await import('../../main/core/storage/source-file')
    rmSync(join(folder, 'plain.txt'))
    symlinkSync(join(outside, 'secret.txt'), join(folder, 'plain.txt'))
    await expect(snapshotSource(join(folder, 'plain.txt'), 5)).rejects.toThrow(/symbolic link/)
    await expect(snapshotSource(join(folder, 'plain.txt'), 5 * 1024 * 1024)).rejects.toThrow(/symbolic link/)
  })

  it('a dropped file or folder named by the user is taken as named, even when it is itself a link', async () => {
    // What the user picked is their choice (a desktop shortcut, `obs-sync upload ./current`); the rule holds
    // for what is found inside. The job reads the link's target path, so the upload-time check passes.
    symlinkSync(folder, join(base, 'shortcut'))
    const expansion = await expandPaths([join(base, 'shortcut'), join(folder, 'pre-link.txt')])
    expect(expansion.files.map((f) => f.relativeKey).sort()).toEqual([
      'pre-link.txt',
      'shortcut/hard-link.txt',
      'shortcut/plain.txt',
      'shortcut/sub/inner.txt',
    ])
    expect(expansion.files.find((f) => f.relativeKey === 'pre-link.txt')?.path).toBe(
      join(outside, 'secret.txt'),
    )
  })
})
