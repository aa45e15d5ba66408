import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CLI_PATH,
  cliDataDir,
  cliEnv,
  createBucket,
  runMain,
  runMeasured,
  s3For,
  startKeyring,
  startRgw,
  tempDir,
} from '../bench-lib'

runMain(async () => {
  const keyring = await startKeyring()
  const rgw = await startRgw('memstore')
  const s3 = s3For(rgw)
  const bucket = await createBucket(s3, 'exp')
  const folder = join(await tempDir('t'), 'tree')
  for (let d = 0; d < 20; d++) {
    await mkdir(join(folder, `d${d}`), { recursive: true })
    for (let f = 0; f < 50; f++) await writeFile(join(folder, `d${d}`, `f${f}`), `${d}/${f}`)
  }
  const dataDir = await cliDataDir(rgw, keyring, 'h')
  const args = [
    CLI_PATH,
    '--data-dir',
    dataDir,
    '--concurrency',
    '16',
    'sync',
    folder,
    '--bucket',
    bucket,
    '--sse',
    'kms',
    '--kms-key',
    rgw.kmsKeyIds[0]!,
  ]
  const env = cliEnv(keyring)
  const mode = process.argv[2] ?? 'catchup'
  if (mode === 'first') {
    const r = await runMeasured(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', '/tmp/benchlogs/prof-first', ...args],
      { env },
    )
    console.log('first', r.wallMs, r.cpuSeconds, r.stdout.slice(-100), r.stderr.slice(-300))
  } else {
    let r = await runMeasured(process.execPath, args, { env })
    console.log('first', r.wallMs, r.cpuSeconds, r.stderr.slice(-300))
    r = await runMeasured(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', '/tmp/benchlogs/prof-catchup', ...args],
      { env },
    )
    console.log('second', r.wallMs, r.cpuSeconds)
    r = await runMeasured(process.execPath, [CLI_PATH, '--data-dir', dataDir, 'status'], { env })
    console.log('status', r.wallMs, r.cpuSeconds)
    r = await runMeasured(process.execPath, [CLI_PATH, '--data-dir', dataDir, 'account', 'test', 'rgw'], {
      env,
    })
    console.log('account test', r.wallMs, r.cpuSeconds, r.stdout)
  }
})
