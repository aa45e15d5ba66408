import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freshBucket } from './s3'

export const CLI_PATH = resolve(import.meta.dirname, '../../out/main/cli.js')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function assertBuilt(): void {
  if (!existsSync(CLI_PATH))
    throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first (npm test does).`)
}

/** Starts the built `obs-sync` CLI as a real child process. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
  cwd?: string,
): ChildProcess & { result: Promise<CliRun> } {
  assertBuilt()
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  child.stdin.end(input ?? '')
  const result = new Promise<CliRun>((resolvePromise) =>
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })),
  )
  return Object.assign(child, { result })
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
  cwd?: string,
): Promise<CliRun> {
  return startCli(args, env, input, cwd).result
}

/** The `account add` arguments for the harness RGW (path-style, its CA, the secret read from stdin). */
export function rgwAccountAddArgs(
  rgw: { httpsEndpoint: string; region: string; caFile: string; accessKeyId: string },
  name = 'rgw',
): string[] {
  return [
    'account',
    'add',
    name,
    '--provider',
    'ceph-rgw',
    '--endpoint',
    rgw.httpsEndpoint,
    '--region',
    rgw.region,
    '--ca-file',
    rgw.caFile,
    '--access-key-id',
    rgw.accessKeyId,
    '--path-style',
    '--secret-stdin',
  ]
}

/** `obs-sync account add` for the harness RGW, the secret on stdin (into the run's private keychain). */
export function addHarnessAccount(
  dataDir: string,
  rgw: Parameters<typeof rgwAccountAddArgs>[0] & { secretAccessKey: string },
  name = 'rgw',
): Promise<CliRun> {
  return runCli(['--data-dir', dataDir, ...rgwAccountAddArgs(rgw, name)], {}, rgw.secretAccessKey)
}

/** Where an upload goes and how it is encrypted: `--bucket B --sse kms --kms-key K` (SSE-KMS with that key). */
export function kmsTarget(bucket: string, kmsKeyId: string): string[] {
  return ['--bucket', bucket, '--sse', 'kms', '--kms-key', kmsKeyId]
}

/**
 * A fresh CLI data folder (named from `prefix`) holding the harness account, added with `obs-sync account add`
 * under `name` and reaching RGW at `endpoint` (RGW itself unless a proxy is given); a failed add fails the test.
 */
export async function cliHomeWithAccount(
  rgw: Parameters<typeof addHarnessAccount>[1],
  options: { prefix: string; name?: string; endpoint?: string },
): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), options.prefix))
  const endpoint = options.endpoint ?? rgw.httpsEndpoint
  const added = await addHarnessAccount(home, { ...rgw, httpsEndpoint: endpoint }, options.name)
  if (added.code !== 0) throw new Error(`obs-sync account add exited with ${added.code}: ${added.stderr}`)
  return home
}

/**
 * What a CLI test starts from, all named from `name`: a data folder holding the harness account (as
 * cliHomeWithAccount adds it), a fresh bucket, and an empty folder for the files to upload.
 */
export async function cliPlace(
  rgw: Parameters<typeof addHarnessAccount>[1] & Parameters<typeof freshBucket>[0],
  name: string,
  account: { name?: string; endpoint?: string } = {},
): Promise<{ home: string; bucket: string; dir: string }> {
  const [home, bucket, dir] = await Promise.all([
    cliHomeWithAccount(rgw, { prefix: `obs-sync-${name}-home-`, ...account }),
    freshBucket(rgw, name),
    mkdtemp(join(tmpdir(), `obs-sync-${name}-src-`)),
  ])
  return { home, bucket, dir }
}
