import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

export interface HeadlessApp {
  openUrl: string
  url: string
  port: number
  dataDir: string
  stop(): Promise<void>
}

const cli = resolve(import.meta.dirname, '../../out/main/cli.js')

/** Starts the built headless app (`obs-sync serve --json`) and waits for the address it prints. */
export async function startHeadlessApp(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  /** Another build's CLI (a benchmark's reference); default: this tree's. */
  cliPath = cli,
): Promise<HeadlessApp> {
  if (!existsSync(cliPath))
    throw new Error(`${cliPath} is missing: run \`npm run build\` before the e2e tier.`)
  const child: ChildProcess = spawn(process.execPath, [cliPath, '--data-dir', dataDir, 'serve', '--json'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += d))
  const address = await new Promise<{ url: string; openUrl: string; port: number }>(
    (resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`obs-sync serve did not start in 30 s:\n${stderr}`)),
        30_000,
      )
      child.once('exit', (code) => reject(new Error(`obs-sync serve exited (${code}):\n${stderr}`)))
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer)
        resolvePromise(JSON.parse(line))
      })
    },
  )
  return {
    ...address,
    dataDir,
    stop: () =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null) return resolvePromise()
        child.once('exit', () => resolvePromise())
        child.kill('SIGTERM')
      }),
  }
}
