import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

describe('npm start without an Electron binary', () => {
  it('this machine has no Electron binary (precondition of the next test)', () => {
    expect(existsSync(resolve(root, 'node_modules/electron/path.txt'))).toBe(false)
  })

  it('exits non-zero with one clear sentence pointing to the headless mode, and no stack trace', () => {
    const run = spawnSync(process.execPath, [resolve(root, 'main/launch.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 150_000,
    })
    expect(run.status).toBe(1)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^OBS Sync cannot start: no Electron binary could be found or downloaded/)
    expect(lines[0]).toContain('npm run serve')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.stdout).toBe('')
  }, 180_000)
})
