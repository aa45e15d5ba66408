// Finding #5 (Medium): a FIFO (or any non-regular file) named `.obsignore` froze the process (a blocking read).
// Ignore files are read only when they are regular files of at most 1 MiB, opened without blocking and without
// following links; the others are reported and their folder has no extra rules.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Expansion } from '../../main/core/queue/expand-paths'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'obs-sync-ignore-'))
  writeFileSync(join(root, 'a.txt'), 'a')
  writeFileSync(join(root, 'b.log'), 'b')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** Runs a fixture in a child process with a deadline: a blocking read would otherwise hang the test runner. */
function report(fixture: string) {
  const script = fileURLToPath(new URL(`../support/fixtures/${fixture}`, import.meta.url))
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, root], {
    encoding: 'utf8',
    timeout: 15_000,
  })
  if (result.status !== 0) throw new Error(`${fixture} did not finish (${result.signal ?? result.stderr})`)
  return JSON.parse(result.stdout)
}
const scanReport = (): { files: string[]; problems: { path: string; reason: string }[] } =>
  report('scan-report.ts')

// Each case starts a child process (tsx): seconds on a loaded machine.
describe('#5 .obsignore is read only when it is a regular file of bounded size', { timeout: 60_000 }, () => {
  it('a FIFO named .obsignore is reported and the scan finishes', () => {
    expect(spawnSync('mkfifo', [join(root, '.obsignore')]).status).toBe(0)
    const report = scanReport()
    expect(report.files).toEqual(['a.txt', 'b.log'])
    expect(report.problems).toEqual([
      { path: join(root, '.obsignore'), why: 'special', reason: expect.stringMatching(/not a regular file/) },
    ])
  })

  it('an .obsignore over 1 MiB is reported, not read', () => {
    writeFileSync(join(root, '.obsignore'), `*.log\n${'#'.repeat(1024 * 1024)}\n`)
    const report = scanReport()
    expect(report.files).toEqual(['a.txt', 'b.log'])
    expect(report.problems[0]?.reason).toMatch(/larger than 1 MiB/)
  })

  it('an .obsignore that is a link is not followed; a regular one still applies', () => {
    mkdirSync(join(root, 'sub'))
    writeFileSync(join(root, 'sub', 'c.log'), 'c')
    writeFileSync(join(root, 'sub', '.obsignore'), '*.log\n')
    symlinkSync(join(root, 'sub', '.obsignore'), join(root, '.obsignore'))
    const report = scanReport()
    expect(report.files).toEqual(['a.txt', 'b.log'])
    expect(report.problems[0]?.reason).toMatch(/symbolic link/)
  })

  it('a dropped folder with a FIFO .obsignore is expanded too, the FIFO reported', () => {
    expect(spawnSync('mkfifo', [join(root, '.obsignore')]).status).toBe(0)
    const expansion: Expansion = report('drop-report.ts')
    expect(expansion.files).toHaveLength(2)
    expect(expansion.skipped.map((s) => s.path)).toEqual([join(root, '.obsignore')])
  })
})
