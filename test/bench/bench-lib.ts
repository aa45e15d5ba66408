/**
 * Shared plumbing of the benchmark scripts in test/bench (scripts, not tests): throwaway services started in temp
 * folders and stopped by PID at the end (also on failure or Ctrl-C), child processes measured for wall time and
 * peak RSS, an independent S3 client to verify what was uploaded, and plain-text tables.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Readable } from 'node:stream'
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3'
import { rgwAccountAddArgs } from '../support/cli'
import { independentClient } from '../support/s3'
import type { KeyringEnv, RgwEnv } from '../support/services'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export const ROOT = resolve(import.meta.dirname, '../..')
export const CLI_PATH = join(ROOT, 'out/main/cli.js')
const SUPPORT = join(ROOT, 'test/support')
export const MiB = 1024 * 1024

// ---------------------------------------------------------------- arguments

/** `--name value` / `--flag` command-line options of a bench script. */
export function parseArgs(argv = process.argv.slice(2)): Map<string, string> {
  const args = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`)
    const next = argv[i + 1]
    if (next !== undefined && !next.startsWith('--')) {
      args.set(a.slice(2), next)
      i++
    } else args.set(a.slice(2), 'true')
  }
  return args
}

export function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`)
  return n
}

// ---------------------------------------------------------------- cleanup

const cleanups: (() => Promise<void>)[] = []
const liveChildren = new Set<ChildProcess>()

/**
 * Registers an undo step, run in reverse order by `cleanup()` (finally-blocks and signals); the function returned
 * runs it now instead (once).
 */
export function onCleanup(step: () => Promise<void>): () => Promise<void> {
  cleanups.push(step)
  return async () => {
    const i = cleanups.indexOf(step)
    if (i < 0) return
    cleanups.splice(i, 1)
    await step()
  }
}

export async function cleanup(): Promise<void> {
  // Children we started and that are still running: their process group (they were started detached) by PID.
  for (const child of liveChildren) {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }
  }
  while (cleanups.length > 0) {
    const step = cleanups.pop()
    await step?.().catch((error) => log(`cleanup step failed: ${(error as Error).message}`))
  }
}

/** Runs a bench's main function with cleanup on success, failure, Ctrl-C and SIGTERM; sets the exit code. */
export function runMain(main: () => Promise<void>): void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping services...`)
    void cleanup().finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  main()
    .then(
      () => 0,
      (error) => {
        console.error(`\nBENCH FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}`)
        return 1
      },
    )
    .then(async (code) => {
      await cleanup()
      process.exit(code)
    })
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

// ---------------------------------------------------------------- processes

export interface Measured {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Spawn to exit, measured here. */
  wallMs: number
  /** Peak resident set size of the measured process (GNU time %M, from wait4's rusage), in bytes. */
  peakRssBytes: number
  /** User + system CPU seconds of the measured process (GNU time %U + %S). */
  cpuSeconds: number
  /** CPU seconds of the services (RGW, OSD, mon, keyring, D-Bus) meanwhile. */
  serviceCpuSeconds: number
  /** CPU seconds of everything else on the machine meanwhile (a shared machine's noise). */
  foreignCpuSeconds: number
}

export interface MeasuredChild {
  /** The GNU time wrapper; the measured process is its only child. */
  child: ChildProcess
  /** PID of the measured process itself (resolved shortly after spawn). */
  pid(): Promise<number>
  result: Promise<Measured>
  onStdout(listener: (chunk: string) => void): void
}

/**
 * Starts `command args` under `/usr/bin/time` (exact peak RSS of exactly that process) in its own process group,
 * so that a failed bench can kill it and everything it started by PID.
 */
export function startMeasured(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; discardStdout?: boolean } = {},
): MeasuredChild {
  const timeFile = join(tmpdir(), `obs-sync-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`)
  const before = cpuSnapshot()
  const t0 = performance.now()
  const child = spawn('/usr/bin/time', ['-f', '%e %M %U %S', '-o', timeFile, command, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['pipe', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    detached: true,
  })
  liveChildren.add(child)
  let stdout = ''
  let stderr = ''
  const listeners: ((chunk: string) => void)[] = []
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    for (const l of listeners) l(d)
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin?.end(options.input ?? '')
  const result = new Promise<Measured>((resolvePromise, reject) => {
    child.on('error', reject)
    child.on('close', async (code, signal) => {
      const wallMs = performance.now() - t0
      const after = cpuSnapshot()
      liveChildren.delete(child)
      let peakRssBytes = Number.NaN
      let cpuSeconds = Number.NaN
      try {
        // GNU time writes "Command exited with non-zero status N" first when the command failed.
        const line = (await readFile(timeFile, 'utf8')).trim().split('\n').pop() ?? ''
        const [, maxKb, user, sys] = line.split(' ').map(Number)
        peakRssBytes = (maxKb ?? Number.NaN) * 1024
        cpuSeconds = (user ?? Number.NaN) + (sys ?? Number.NaN)
        await rm(timeFile, { force: true })
      } catch {}
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        wallMs,
        peakRssBytes,
        cpuSeconds,
        serviceCpuSeconds: serviceCpuSeconds(before, after),
        foreignCpuSeconds: foreignCpuSeconds(before, after, Number.isNaN(cpuSeconds) ? 0 : cpuSeconds),
      })
    })
  })
  const pid = async (): Promise<number> => {
    for (let i = 0; i < 200; i++) {
      try {
        const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim()
        if (kids) return Number(kids.split(' ')[0])
      } catch {}
      await sleep(10)
    }
    throw new Error(`could not find the process started by /usr/bin/time (pid ${child.pid})`)
  }
  return { child, pid, result, onStdout: (l) => listeners.push(l) }
}

/** Samples the resident set size of `pid` every `intervalMs` until stopped (times relative to the start). */
export function sampleRss(pid: Promise<number>, intervalMs = 100) {
  const samples: { atMs: number; bytes: number }[] = []
  const t0 = performance.now()
  let stopped = false
  void (async () => {
    const p = await pid.catch(() => undefined)
    while (p && !stopped) {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]
        if (kb) samples.push({ atMs: performance.now() - t0, bytes: Number(kb) * 1024 })
      } catch {
        break
      }
      await sleep(intervalMs)
    }
  })()
  return {
    samples,
    stop: () => {
      stopped = true
    },
  }
}

export function runMeasured(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; discardStdout?: boolean } = {},
): Promise<Measured> {
  return startMeasured(command, args, options).result
}

/** Runs a command to its end; throws with its output when it fails. */
export function runChecked(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    liveChildren.add(child)
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    child.stdin.end(options.input ?? '')
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.on('error', reject)
    child.on('close', (code, signal) => {
      liveChildren.delete(child)
      if (timer) clearTimeout(timer)
      if (code === 0) resolvePromise(out)
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${err.slice(-3000)}${out.slice(-2000)}`,
          ),
        )
    })
  })
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

// ---------------------------------------------------------------- CPU accounting (the machine may be shared)

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

interface CpuSnapshot {
  at: number
  /** Busy CPU time of the whole machine (all cores), seconds. */
  machine: number
  /** CPU time of the service daemons (RGW, OSD, mon, keyring, D-Bus), seconds. */
  services: number
  /** CPU time of this bench process, seconds. */
  self: number
}

function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0)
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0)
  return (total - idle) / TICKS_PER_SECOND
}

function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of /proc/PID/stat (12 and 13 after the command name)
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/** PIDs whose CPU counts as part of the workload (the services under test), beside the measured process. */
export const servicePids = new Set<number>()

export function cpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage()
  let services = 0
  for (const pid of servicePids) services += processSeconds(pid)
  return {
    at: performance.now(),
    machine: machineBusySeconds(),
    services,
    self: (usage.user + usage.system) / 1e6,
  }
}

/**
 * CPU seconds used during [before, after] by processes that are neither the measured command, nor the services,
 * nor this script: other people's work on a shared machine. Large values mean a noisy sample.
 */
export function foreignCpuSeconds(before: CpuSnapshot, after: CpuSnapshot, measuredCpu: number): number {
  const machineCpu = after.machine - before.machine
  return Math.max(
    0,
    machineCpu - measuredCpu - (after.services - before.services) - (after.self - before.self),
  )
}

export function serviceCpuSeconds(before: CpuSnapshot, after: CpuSnapshot): number {
  return after.services - before.services
}

/**
 * Waits (up to `maxWaitMs`) until nothing else keeps the machine busy: less than `maxBusyCores` of foreign CPU
 * over a 1 s window. Returns the foreign load last seen, in cores.
 */
export async function waitForQuiet(maxWaitMs = 120_000, maxBusyCores = 0.25): Promise<number> {
  const deadline = performance.now() + maxWaitMs
  let warned = false
  for (;;) {
    const a = cpuSnapshot()
    await sleep(1000)
    const b = cpuSnapshot()
    const cores = foreignCpuSeconds(a, b, 0) / ((b.at - a.at) / 1000)
    if (cores < maxBusyCores || performance.now() > deadline) {
      if (warned || cores >= maxBusyCores)
        log(
          `machine ${cores < maxBusyCores ? 'quiet now' : 'still busy, going on'}: ${cores.toFixed(2)} cores used by other processes`,
        )
      return cores
    }
    if (!warned) log(`other processes use ${cores.toFixed(2)} cores: waiting for a quieter machine...`)
    warned = true
  }
}

/**
 * Share of the machine (all cores) that other processes used during a measured run. CPU time is counted in 10 ms
 * ticks, so for runs under half a second this cannot be told and 0 is returned (the median of several runs and
 * the quiet-machine wait before each have to do).
 */
export function noiseShare(run: Measured): number {
  if (run.wallMs < 500) return 0
  return run.foreignCpuSeconds / ((run.wallMs / 1000) * cpus().length)
}

/** A sample during which other processes used more than this share of the machine is measured again. */
export const NOISE_LIMIT = 0.1

/**
 * Runs `attempt` (after waiting for a quiet machine) up to `tries` times until other processes used less than
 * NOISE_LIMIT of the machine meanwhile; keeps the least disturbed result.
 */
export async function measureQuietly<T extends { run: Measured }>(
  label: string,
  attempt: () => Promise<T>,
  tries = 3,
  quietWaitMs = 120_000,
): Promise<T & { noisy: boolean }> {
  let best: T | undefined
  for (let i = 1; i <= tries; i++) {
    await waitForQuiet(quietWaitMs)
    const result = await attempt()
    if (!best || noiseShare(result.run) < noiseShare(best.run)) best = result
    if (noiseShare(result.run) <= NOISE_LIMIT) break
    log(
      `${label}: other processes used ${(100 * noiseShare(result.run)).toFixed(0)}% of the machine meanwhile${i < tries ? ', measuring again' : ''}`,
    )
  }
  return { ...best!, noisy: noiseShare(best!.run) > NOISE_LIMIT }
}

// ---------------------------------------------------------------- services

export interface Rgw extends RgwEnv {
  objectStore: string
  pids: Record<string, number>
}

/** A throwaway RGW (test/support/rgw.sh) in a new temp folder; stopped by PID and purged at cleanup. */
export async function startRgw(objectStore: 'memstore' | 'bluestore', extraEnv: NodeJS.ProcessEnv = {}) {
  // Short path: Ceph's admin sockets live under it (unix socket paths are limited to 107 bytes).
  const dir = await mkdtemp(join(tmpdir(), `obsb-rgw-${objectStore.slice(0, 4)}-`))
  let pids: number[] = []
  const stop = onCleanup(async () => {
    for (const pid of pids) servicePids.delete(pid)
    await runChecked('bash', [join(SUPPORT, 'rgw.sh'), 'stop', '--purge', dir], { timeoutMs: 60_000 })
    log(`RGW (${objectStore}) stopped, ${dir} removed`)
  })
  const t0 = performance.now()
  await runChecked('bash', [join(SUPPORT, 'rgw.sh'), 'start', dir], {
    env: { ...process.env, RGW_OBJECTSTORE: objectStore, ...extraEnv },
    timeoutMs: 600_000,
  })
  const env = JSON.parse(await readFile(join(dir, 'env.json'), 'utf8')) as Rgw
  pids = Object.values(env.pids)
  for (const pid of pids) servicePids.add(pid)
  log(
    `RGW (${objectStore}) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${env.httpsEndpoint}`,
  )
  return { ...env, stop }
}

/** A private gnome-keyring (test/support/keyring.sh) for the CLI's `account add`; stopped by PID at cleanup. */
export async function startKeyring(): Promise<KeyringEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'obsb-kr-'))
  onCleanup(async () => {
    await runChecked('bash', [join(SUPPORT, 'keyring.sh'), 'stop', '--purge', dir], { timeoutMs: 30_000 })
  })
  await runChecked('bash', [join(SUPPORT, 'keyring.sh'), 'start', dir], { timeoutMs: 300_000 })
  const env = JSON.parse(await readFile(join(dir, 'env.json'), 'utf8')) as KeyringEnv & {
    pids?: Record<string, number>
  }
  for (const pid of Object.values(env.pids ?? {})) servicePids.add(pid)
  return {
    DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS,
    XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR,
    XDG_DATA_HOME: env.XDG_DATA_HOME,
  }
}

/** A temp folder removed at cleanup. */
export async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `obs-sync-bench-${name}-`))
  onCleanup(() => rm(dir, { recursive: true, force: true }))
  return dir
}

export function assertCliBuilt(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first.`)
  const built = statSync(CLI_PATH).mtimeMs
  const newest = newestMtime(join(ROOT, 'main'))
  if (newest > built + 1000)
    log(
      `WARNING: out/main/cli.js is older than a file under main/ (the npm script builds first; run \`npm run build\`)`,
    )
}

function newestMtime(dir: string): number {
  let newest = 0
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }) as Dirent[]) {
      const p = join(d, name.name)
      if (name.isDirectory()) walk(p)
      else newest = Math.max(newest, statSync(p).mtimeMs)
    }
  }
  walk(dir)
  return newest
}

/** The environment of a CLI child: the private keyring's bus, no stray OBS Sync variables. */
export function cliEnv(keyring: KeyringEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...keyring, ...extra }
  delete env.OBS_SYNC_HOME
  delete env.OBS_SYNC_ACCESS_KEY_ID
  delete env.OBS_SYNC_SECRET_ACCESS_KEY
  return env
}

/**
 * Our CLI as the benchmarks run it: `cli.js --data-dir D [--concurrency N] <command> <path> --bucket B --sse kms
 * --kms-key K` (after any node arguments, e.g. --cpu-prof).
 */
export function ourCliArgs(options: {
  dataDir: string
  command: 'upload' | 'sync' | 'watch'
  path: string
  bucket: string
  kmsKey: string
  concurrency?: number
  nodeArgs?: string[]
  /** Another build of the CLI (e.g. main's, to compare before and after a change in one run). */
  cliPath?: string
}): string[] {
  return [
    ...(options.nodeArgs ?? []),
    options.cliPath ?? CLI_PATH,
    '--data-dir',
    options.dataDir,
    ...(options.concurrency ? ['--concurrency', String(options.concurrency)] : []),
    options.command,
    options.path,
    '--bucket',
    options.bucket,
    '--sse',
    'kms',
    '--kms-key',
    options.kmsKey,
  ]
}

/** A data folder with the RGW account added through the CLI (`account add --secret-stdin`, into the keyring). */
export async function cliDataDir(rgw: RgwEnv, keyring: KeyringEnv, name: string): Promise<string> {
  const dataDir = join(await tempDir(name), 'home')
  await mkdir(dataDir, { recursive: true })
  await runChecked(process.execPath, [CLI_PATH, '--data-dir', dataDir, ...rgwAccountAddArgs(rgw)], {
    env: cliEnv(keyring),
    input: rgw.secretAccessKey,
    timeoutMs: 60_000,
  })
  return dataDir
}

// ---------------------------------------------------------------- S3 verification (plain SDK, not the app's code)

export function s3For(rgw: RgwEnv): S3Client {
  return independentClient(rgw)
}

export async function createBucket(s3: S3Client, prefix: string): Promise<string> {
  const bucket = `${prefix}-${Math.random().toString(36).slice(2, 10)}`
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  return bucket
}

export async function listAll(
  s3: S3Client,
  bucket: string,
  prefix = '',
): Promise<{ key: string; size: number; lastModified: number }[]> {
  const out: { key: string; size: number; lastModified: number }[] = []
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? [])
      out.push({ key: o.Key ?? '', size: o.Size ?? 0, lastModified: o.LastModified?.getTime() ?? 0 })
  }
  return out
}

export async function sha256OfObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const hash = createHash('sha256')
  for await (const chunk of answer.Body as Readable) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Throws unless the object is SSE-KMS with `keyId` (RGW reports the key id as given). */
export async function assertKms(s3: S3Client, bucket: string, key: string, keyId: string): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
  if (head.ServerSideEncryption !== 'aws:kms' || !head.SSEKMSKeyId?.includes(keyId))
    throw new Error(
      `${bucket}/${key} is not SSE-KMS with ${keyId} (ServerSideEncryption=${head.ServerSideEncryption}, SSEKMSKeyId=${head.SSEKMSKeyId})`,
    )
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export async function countFiles(dir: string): Promise<number> {
  let n = 0
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++
  return n
}

// ---------------------------------------------------------------- output

export const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`
export const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`
export const fmtMB = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
export const fmtRatio = (r: number) => `${r.toFixed(2)}x`

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

export function verdict(ok: boolean): string {
  return ok ? 'MET' : 'MISSED'
}

/** The code measured: commit, and whether main/ had uncommitted changes when the bench ran. */
export function revision(): string {
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim()
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'main', 'preload'], {
      encoding: 'utf8',
    }).trim()
    return dirty ? `${head} + uncommitted changes in main/ or preload/` : head
  } catch {
    return 'unknown revision'
  }
}

export function machine(): string {
  const cpu = cpus()
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.versions.node}`
}
