// `npm start`: builds the app and starts it in Electron. Where no Electron binary is installed and none can
// be downloaded (offline machines, servers), it says so in one line and runs the product anyway: the headless web
// UI on 127.0.0.1, its URL (with the token) printed, opened in the default browser when there is a display.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function electronBinary() {
  try {
    const electronDir = dirname(require.resolve('electron/package.json'))
    const pathFile = join(electronDir, 'path.txt')
    if (!existsSync(pathFile)) {
      // The npm package downloads its binary on install; try once more (works on a machine with internet).
      spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 })
    }
    if (!existsSync(pathFile)) return undefined
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(binary) ? binary : undefined
  } catch {
    return undefined
  }
}

/** Builds quietly (its output shown only when it fails); exits with the build's code when it fails. */
function build(quiet) {
  const result = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
  })
  if (result.status === 0) return
  if (quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`)
  process.exit(result.status ?? 1)
}

/**
 * Runs a child in the foreground, its exit code ours. Ctrl-C reaches it from the terminal (same process group), so
 * we only outlive it; a SIGTERM sent to us is passed on.
 */
function foreground(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
  process.on('SIGINT', () => {})
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

const binary = electronBinary()
if (binary) {
  build(false)
  foreground(binary, ['.'])
} else {
  console.error(
    'No Electron binary on this machine (none installed, none could be downloaded): starting the headless web UI instead.',
  )
  build(true)
  foreground(process.execPath, [join(root, 'out/main/cli.js'), 'serve', '--open'])
}
