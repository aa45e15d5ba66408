import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { YOUNG_GENERATION_CAP } from '../../main/cli/heap-settings'

const MODULE = resolve(import.meta.dirname, '../../main/cli/heap-settings.ts')

/**
 * Runs `workload` in a child Node process (the settings are process-wide), after the CLI's heap settings or
 * without them, and returns the number it prints.
 */
function measured(withModule: boolean, workload: string): number {
  const script = `
    ${withModule ? `await import(${JSON.stringify(MODULE)})` : ''}
    const v8 = await import('node:v8')
    const spaceMB = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name).space_size / 1e6
    ${workload}`
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  expect(child.stderr).toBe('')
  return Number(child.stdout.trim())
}

/**
 * Many objects alive across collections, as dozens of uploads in flight keep theirs, allocated between turns of
 * the event loop as an upload's are: how big the young generation got.
 */
const SURVIVORS = `
  const kept = []
  for (let i = 0; i < 1_000_000; i++) {
    kept.push({ i, name: 'file-' + i })
    if (kept.length > 50_000) kept.splice(0, 25_000)
    if (i % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  console.log(spaceMB('new_space'))`

/**
 * Objects that outlive a young collection and then die, as a finished upload's do, 3 million of them: the largest
 * the old generation got meanwhile.
 */
const PROMOTED_GARBAGE = `
  let window = []
  let peak = 0
  for (let i = 0; i < 3_000_000; i++) {
    window.push({ i, name: 'file-' + i, parts: [i, i + 1] })
    if (window.length > 20_000) window = window.slice(10_000)
    if (i % 10_000 === 0) peak = Math.max(peak, spaceMB('old_space'))
  }
  console.log(peak)`

describe('the CLI keeps its heap small', () => {
  it('V8 grows the young generation to ~32 MB under many survivors without the settings; with them it grows to the cap and stops', () => {
    const capMB = YOUNG_GENERATION_CAP / 1e6
    // The workload grows it all the way (else this test could not fail) ...
    expect(measured(false, SURVIVORS)).toBeGreaterThan(1.5 * capMB)
    // ... and with the CLI's settings it grows to the cap (fewer collections than at its starting 1 MiB), not past it.
    expect(measured(true, SURVIVORS)).toBeCloseTo(capMB, 0)
  })

  it('a short command that never reaches the cap still exits (the observer holds no handle)', () => {
    expect(measured(true, "console.log(spaceMB('new_space'))")).toBeLessThan(YOUNG_GENERATION_CAP / 1e6)
  })

  it('the old generation is collected before dead uploads pile up in it (~30 MB without the settings, ~19 MB with)', () => {
    const without = measured(false, PROMOTED_GARBAGE)
    const withSettings = measured(true, PROMOTED_GARBAGE)
    expect(without).toBeGreaterThan(withSettings * 1.3)
  })
})
