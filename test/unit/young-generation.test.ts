import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const MODULE = resolve(import.meta.dirname, '../../main/cli/young-generation.ts')

/**
 * A child Node process (the setting is process-wide) that keeps many objects alive across collections, as an
 * upload of thousands of small files does, and prints how big V8's young generation ("new_space") became, in MB.
 */
function youngGenerationMB(withModule: boolean): number {
  const script = `
    ${withModule ? `await import(${JSON.stringify(MODULE)})` : ''}
    const v8 = await import('node:v8')
    const kept = []
    for (let i = 0; i < 1_000_000; i++) {
      kept.push({ i, name: 'file-' + i })
      if (kept.length > 50_000) kept.splice(0, 25_000)
    }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    console.log(space.space_size / 1e6)`
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  expect(child.stderr).toBe('')
  return Number(child.stdout.trim())
}

describe('the CLI keeps the young generation small', () => {
  it('V8 grows it to ~32 MB under many survivors without the setting, and not with it', () => {
    // The workload would grow it (else this test could not fail) ...
    expect(youngGenerationMB(false)).toBeGreaterThan(16)
    // ... and the CLI's setting, made at run time, holds it where it was (2-4 MB: loading tsx grows it once).
    expect(youngGenerationMB(true)).toBeLessThanOrEqual(8)
  })
})
