import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { YOUNG_GENERATION_CAP } from '../../main/cli/heap-settings'

const MODULE = resolve(import.meta.dirname, '../../main/cli/heap-settings.ts')

/**
 * Runs `workload` in a child Node process (the settings are process-wide, `flags` its start-up flags), after the
 * CLI's heap settings or without them, and returns what it printed.
 */
function childOutput(withModule: boolean, workload: string, flags: string[] = []): string {
  const script = `
    ${withModule ? `await import(${JSON.stringify(MODULE)})` : ''}
    const v8 = await import('node:v8')
    const spaceMB = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name).space_size / 1e6
    ${workload}`
  const child = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  )
  expect(child.stderr).toBe('')
  return child.stdout
}

/** The number `workload` prints, run as childOutput runs it. */
const measured = (withModule: boolean, workload: string): number =>
  Number(childOutput(withModule, workload).trim())

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
 * The factor V8 applies after each full collection to what survived it, as it traces its sizing decision
 * ("[HeapController] Limit: old size: ..., new limit: ... (1.5)"): the next full collection starts there.
 */
function oldGenerationFactors(withModule: boolean): string[] {
  const workload = `
    const kept = []
    for (let i = 0; i < 300_000; i++) kept.push({ i })
    gc()
    gc()`
  const trace = childOutput(withModule, workload, ['--trace-gc-verbose', '--expose-gc'])
  return [...trace.matchAll(/\[HeapController\] Limit: .*\((\d+\.\d+)\)/g)].map((m) => m[1] as string)
}

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

  // The objects of finished uploads, promoted while in flight, die in the old generation: the lower its limit, the
  // sooner they are collected (a 2,000-file upload's peak ~126 MB -> ~98 MB, README). Checked on V8's own decision
  // rather than on a peak, which depends on how fast concurrent marking runs on a busy machine.
  it('after a full collection the old generation may grow to 1.5x what survived it (V8 picks 4x without)', () => {
    const without = oldGenerationFactors(false)
    expect(without.length).toBeGreaterThan(0)
    expect(new Set(without)).toEqual(new Set(['4.0']))
    expect(new Set(oldGenerationFactors(true))).toEqual(new Set(['1.5']))
  })
})
