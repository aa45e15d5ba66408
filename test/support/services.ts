import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** What the harness hands to tests: endpoints, CA, keys. Never hard-coded ports. */
export interface RgwEnv {
  httpsEndpoint: string
  httpEndpoint: string
  caFile: string
  accessKeyId: string
  secretAccessKey: string
  otherAccessKeyId: string
  otherSecretAccessKey: string
  region: string
  kmsKeyIds: string[]
  dataDir: string
}

export interface KeyringEnv {
  DBUS_SESSION_BUS_ADDRESS: string
  XDG_RUNTIME_DIR: string
  XDG_DATA_HOME: string
}

export interface TestServices {
  rgw: RgwEnv
  keyring: KeyringEnv
  /** A folder of this run, removed at the end. */
  runDir: string
}

const supportDir = resolve(import.meta.dirname)

/** Runs one of our harness scripts; a failure throws with what the script said, so the suite fails loudly. */
function runScript(script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [join(supportDir, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolvePromise(out)
      else
        reject(
          new Error(
            `${script} ${args.join(' ')} failed (exit ${code}):\n${err.slice(-4000)}${out.slice(-2000)}`,
          ),
        )
    })
  })
}

async function readEnv<T>(dir: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, 'env.json'), 'utf8')) as T
}

/** Starts a Ceph RGW (TLS, SSE-KMS) and a private gnome-keyring; returns their settings and a stop function. */
export async function startServices(): Promise<{ services: TestServices; stop: () => Promise<void> }> {
  const runDir = await mkdtemp(join(tmpdir(), 'obs-sync-test-'))
  const rgwDir = join(runDir, 'rgw')
  const keyringDir = join(runDir, 'keyring')
  const stop = async () => {
    await Promise.allSettled([
      runScript('rgw.sh', ['stop', rgwDir], 60_000),
      runScript('keyring.sh', ['stop', keyringDir], 30_000),
    ])
    await rm(runDir, { recursive: true, force: true })
  }
  try {
    await Promise.all([
      runScript('rgw.sh', ['start', rgwDir], 600_000),
      runScript('keyring.sh', ['start', keyringDir], 300_000),
    ])
    const services: TestServices = {
      rgw: await readEnv<RgwEnv>(rgwDir),
      keyring: await readEnv<KeyringEnv>(keyringDir),
      runDir,
    }
    return { services, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
