import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The architecture's layer rules, checked on every run: core stays Electron-free, the renderer sees only the
// contract, and the contract has no side effects.
const root = resolve(import.meta.dirname, '../..')

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path)
    return /\.(ts|vue|mjs)$/.test(name) ? [path] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  const found = [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    ),
  ]
  return found.map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '')
}

function resolvedTarget(file: string, specifier: string): string {
  return specifier.startsWith('.') ? relative(root, resolve(root, file, '..', specifier)) : specifier
}

function violations(dir: string, forbidden: (target: string, specifier: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden(resolvedTarget(file, spec), spec))
      .map((spec) => `${file} imports ${spec}`),
  )
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))

describe('layer rules', () => {
  it('finds the source files it checks', () => {
    expect(sourceFiles('main/core').length).toBeGreaterThan(3)
    expect(sourceFiles('renderer/src').length).toBeGreaterThan(3)
    expect(importsOf('main/ipc/dispatch.ts')).toContain('../core/errors')
  })

  it('main/core never imports electron, main/electron, main/server, main/ipc or the renderer', () => {
    const bad = violations(
      'main/core',
      (target) =>
        target === 'electron' ||
        target.startsWith('electron/') ||
        /^(main\/(electron|server|ipc)|renderer)(\/|$)/.test(target),
    )
    expect(bad).toEqual([])
  })

  it('the renderer never imports main or Node built-ins, and sees only the contract from preload', () => {
    const bad = violations(
      'renderer',
      (target, spec) =>
        nodeBuiltins.has(spec) ||
        spec === 'electron' ||
        target.startsWith('main/') ||
        (target.startsWith('preload/') && !target.startsWith('preload/contract/')),
    )
    expect(bad).toEqual([])
  })

  it('the contract imports nothing but zod and itself', () => {
    const bad = violations(
      'preload/contract',
      (target, spec) => !spec.startsWith('./') && spec !== 'zod' && !!target,
    )
    expect(bad).toEqual([])
  })

  it('the CLI reaches the core only through the contract: from main/core it imports types alone', () => {
    // Behaviour comes through the in-process contract client (main/ipc/contract-client.ts) and the composition
    // root (main/services.ts); a value import from main/core would be a second front door.
    const files = [...sourceFiles('main/cli'), 'main/cli.ts']
    expect(files.length).toBeGreaterThan(5)
    const bad = files.flatMap((file) => {
      const text = readFileSync(join(root, file), 'utf8')
      return [
        ...text.matchAll(
          /^(import|export)(\s+type)?\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm,
        ),
      ]
        .filter((m) => !m[2])
        .map((m) => m[3] ?? m[4] ?? '')
        .filter((spec) => resolvedTarget(file, spec).startsWith('main/core/'))
        .map((spec) => `${file} imports ${spec}`)
    })
    expect(bad).toEqual([])
  })

  it('only main/electron and preload/index.ts import electron', () => {
    const dirs = ['main/core', 'main/ipc', 'main/server', 'preload/contract', 'renderer']
    const bad = dirs.flatMap((dir) =>
      violations(dir, (_t, spec) => spec === 'electron' || spec.startsWith('electron/')),
    )
    const rootFiles = ['main/cli.ts', 'main/services.ts'].flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec === 'electron')
        .map((spec) => `${file} imports ${spec}`),
    )
    expect([...bad, ...rootFiles]).toEqual([])
  })
})
