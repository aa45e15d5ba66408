// `npm start`: builds the app and starts it in Electron. Where no Electron binary is installed and none can
// be downloaded (offline machines, servers), it says so in one sentence and points to the headless mode.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const HEADLESS_HINT =
  'run `npm run serve` for the headless web UI, or `node out/main/cli.js --help` for the CLI'

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

const binary = electronBinary()
if (!binary) {
  console.error(
    `OBS Sync cannot start: no Electron binary could be found or downloaded on this machine; ${HEADLESS_HINT}.`,
  )
  process.exit(1)
}
const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const child = spawn(binary, ['.'], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
