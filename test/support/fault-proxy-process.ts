import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { FaultMode, FaultProxyStats, LinkShape } from './fault-proxy'

export interface FaultProxyProcess {
  pid: number
  port: number
  url(scheme?: 'https' | 'http'): string
  setMode(mode: FaultMode): Promise<FaultProxyStats>
  setLink(link: LinkShape): Promise<FaultProxyStats>
  stats(): Promise<FaultProxyStats>
  /** SIGTERM by PID; resolves when the process has ended. */
  stop(): Promise<void>
}

const main = resolve(import.meta.dirname, 'fault-proxy-main.ts')

/** Starts fault-proxy-main.ts as a child process (see there) and drives it over its stdin. */
export function startFaultProxyProcess(options: {
  targetHost: string
  targetPort: number
  mode?: FaultMode
  link?: LinkShape
}): Promise<FaultProxyProcess> {
  const args = ['--import', 'tsx', main, '--target', `${options.targetHost}:${options.targetPort}`]
  if (options.mode) args.push('--mode', JSON.stringify(options.mode))
  if (options.link) args.push('--link', JSON.stringify(options.link))
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const answers: ((line: string) => void)[] = []
  let onReady: ((line: string) => void) | undefined
  lines.on('line', (line) => {
    if (onReady) {
      const ready = onReady
      onReady = undefined
      return ready(line)
    }
    answers.shift()?.(line)
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.stdin.on('error', () => {})
  const command = (body: object) =>
    new Promise<FaultProxyStats>((resolveAnswer, reject) => {
      answers.push((line) => {
        const answer = JSON.parse(line) as { ok: boolean; stats?: FaultProxyStats; error?: string }
        if (answer.ok && answer.stats) resolveAnswer(answer.stats)
        else reject(new Error(`fault proxy: ${answer.error}`))
      })
      child.stdin.write(`${JSON.stringify(body)}\n`)
    })
  return new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`fault proxy process exited (${code}) before listening`)))
    onReady = (line) => {
      const { port, pid } = JSON.parse(line) as { port: number; pid: number }
      resolveStart({
        pid,
        port,
        url: (scheme = 'https') => `${scheme}://127.0.0.1:${port}`,
        setMode: (mode) => command({ mode }),
        setLink: (link) => command({ link }),
        stats: () => command({}),
        async stop() {
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM')
          await exited
        },
      })
    }
  })
}
