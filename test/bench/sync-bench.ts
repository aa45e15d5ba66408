/**
 * `npm run bench:sync` - the folder sync engine through the built CLI (child processes) against a throwaway Ceph RGW
 * (memstore, TLS, SSE-KMS):
 *   (a) watch latency: `obs-sync watch <folder>` running; 100 single small-file writes, one at a time; time from the
 *       write to the object being visible (HEAD polled every ~20 ms with the plain SDK); p50/p95 next to the settle
 *       delay the watch command uses and a raw SSE-KMS PutObject (plain SDK, median of 20) measured in the same run.
 *       Target: p50 <= settle delay + 3 x raw PUT.
 *   (b) restart catch-up: a tree of 1000 dirs x 100 tiny files; a first `obs-sync sync` pass uploads it all; then
 *       three restarts (`obs-sync sync` again, must upload nothing) alternate with three bare
 *       `find <tree> -type f -printf '%s %T@\n'` walks of the same tree (warm cache for both). Targets: median
 *       catch-up <= 3 x median find (the first restart's ratio is printed too); zero uploads; peak RSS < 400 MB.
 *
 * Options: --writes 100  --raw-puts 20  --dirs 1000  --per-dir 100  --first-concurrency 16
 *          --skip-watch  --skip-catchup  --profile (an extra, untimed catch-up pass under `node --cpu-prof`)
 *          --json-out FILE
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import Database from 'better-sqlite3'
import type { KeyringEnv } from '../support/services'
import {
  assertCliBuilt,
  assertKms,
  CLI_PATH,
  cliDataDir,
  cliEnv,
  createBucket,
  fmtMB,
  fmtMs,
  fmtRatio,
  fmtS,
  listAll,
  log,
  type Measured,
  machine,
  measureQuietly,
  median,
  numberArg,
  ourCliArgs,
  parseArgs,
  percentile,
  type Rgw,
  ROOT,
  revision,
  runMain,
  runMeasured,
  s3For,
  sampleRss,
  sha256OfObject,
  sleep,
  startKeyring,
  startMeasured,
  startRgw,
  table,
  tempDir,
  verdict,
  waitForQuiet,
} from './bench-lib'
import { profilesIn, summarizeFile, timelineOf } from './cpu-profile'

const args = parseArgs()
const writes = numberArg(args, 'writes', 100)
const rawPuts = numberArg(args, 'raw-puts', 20)
const dirs = numberArg(args, 'dirs', 1000)
const perDir = numberArg(args, 'per-dir', 100)
const firstConcurrency = numberArg(args, 'first-concurrency', 16)
const profile = args.has('profile')
const WRITE_BYTES = 1024
const POLL_MS = 20

interface Setup {
  rgw: Rgw
  s3: S3Client
  keyring: KeyringEnv
  kmsKey: string
}

/** The settle delay `obs-sync watch` runs with: the services' default (the CLI passes no override). */
function defaultSettleMs(): number {
  const source = readFileSync(join(ROOT, 'main/services.ts'), 'utf8')
  const match = /settleMs:\s*options\.settleMs\s*\?\?\s*([\d_]+)/.exec(source)
  if (!match?.[1]) throw new Error('could not find the default settleMs in main/services.ts')
  return Number(match[1].replaceAll('_', ''))
}

async function visible(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    return true
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false
    throw error
  }
}

// ---------------------------------------------------------------- (a) watch latency

async function watchLatency(setup: Setup) {
  const settleMs = defaultSettleMs()
  const bucket = await createBucket(setup.s3, 'watch')
  // Raw PUT: the same size, the same SSE-KMS key, the plain SDK on a warm keep-alive connection.
  const raw: number[] = []
  await waitForQuiet()
  for (let i = 0; i <= rawPuts; i++) {
    const body = randomBytes(WRITE_BYTES)
    const t0 = performance.now()
    await setup.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `raw/put-${i}`,
        Body: body,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: setup.kmsKey,
      }),
    )
    if (i > 0) raw.push(performance.now() - t0) // the first one opens the connection: not counted
  }
  const rawPut = median(raw)
  log(`raw SSE-KMS PUT of ${WRITE_BYTES} B: median ${rawPut.toFixed(1)} ms over ${raw.length}`)

  const dataDir = await cliDataDir(setup.rgw, setup.keyring, 'watch-home')
  const folder = join(await tempDir('watch'), 'folder')
  await mkdir(folder)
  await waitForQuiet()
  const watcher = startMeasured(
    process.execPath,
    ourCliArgs({ dataDir, command: 'watch', path: folder, bucket, kmsKey: setup.kmsKey }),
    { env: cliEnv(setup.keyring) },
  )
  let exited = false
  void watcher.result.then(() => (exited = true))
  const ready = performance.now()
  await new Promise<void>((resolveReady, reject) => {
    const timer = setInterval(() => {
      if (exited) {
        clearInterval(timer)
        reject(new Error('obs-sync watch exited before it was watching'))
      } else if (performance.now() - ready > 60_000) {
        clearInterval(timer)
        reject(new Error('obs-sync watch did not report "Watching" within 60 s'))
      }
    }, 50)
    watcher.onStdout((chunk) => {
      if (chunk.includes('Watching')) {
        clearInterval(timer)
        resolveReady()
      }
    })
  })
  log(`obs-sync watch is watching ${folder} (settle delay ${settleMs} ms)`)
  await sleep(500)

  const latencies: number[] = []
  const contents = new Map<string, Buffer>()
  for (let i = 0; i < writes; i++) {
    const name = `note-${String(i).padStart(3, '0')}.txt`
    const body = randomBytes(WRITE_BYTES)
    contents.set(name, body)
    const t0 = performance.now()
    await writeFile(join(folder, name), body)
    for (;;) {
      if (exited) throw new Error('obs-sync watch exited during the benchmark')
      if (await visible(setup.s3, bucket, name)) break
      if (performance.now() - t0 > 60_000) throw new Error(`${name} was not uploaded within 60 s`)
      await sleep(POLL_MS)
    }
    latencies.push(performance.now() - t0)
    if ((i + 1) % 20 === 0)
      log(`watch: ${i + 1}/${writes} writes, p50 so far ${percentile(latencies, 50).toFixed(0)} ms`)
  }
  process.kill(await watcher.pid(), 'SIGTERM')
  const run = await watcher.result
  if (run.code !== 0)
    throw new Error(`obs-sync watch exited with ${run.code ?? run.signal}: ${run.stderr.slice(-1500)}`)

  // Verify: exactly the written files (and the raw PUTs), their bytes, SSE-KMS.
  const objects = (await listAll(setup.s3, bucket)).filter((o) => !o.key.startsWith('raw/'))
  if (objects.length !== writes) throw new Error(`${bucket}: ${objects.length} objects, expected ${writes}`)
  const { createHash } = await import('node:crypto')
  for (const name of [...contents.keys()].filter((_, i) => i % 25 === 0)) {
    const want = createHash('sha256').update(contents.get(name)!).digest('hex')
    if ((await sha256OfObject(setup.s3, bucket, name)) !== want) throw new Error(`${name}: content differs`)
    await assertKms(setup.s3, bucket, name, setup.kmsKey)
  }
  const p50 = percentile(latencies, 50)
  const p95 = percentile(latencies, 95)
  return {
    settleMs,
    rawPutMs: rawPut,
    p50,
    p95,
    min: Math.min(...latencies),
    max: Math.max(...latencies),
    targetMs: settleMs + 3 * rawPut,
    watchPeakRssBytes: run.peakRssBytes,
    watchCpuSeconds: run.cpuSeconds,
    watchForeignCpuSeconds: run.foreignCpuSeconds,
    watchWallMs: run.wallMs,
    latencies,
  }
}

// ---------------------------------------------------------------- (b) restart catch-up

async function makeTree(root: string): Promise<number> {
  let n = 0
  const jobs: Promise<void>[] = []
  for (let d = 0; d < dirs; d++) {
    const dir = join(root, `d-${String(d).padStart(4, '0')}`)
    await mkdir(dir, { recursive: true })
    for (let f = 0; f < perDir; f++) {
      jobs.push(writeFile(join(dir, `f-${String(f).padStart(3, '0')}.txt`), `${d}/${f}\n`))
      n++
      if (jobs.length >= 256) await Promise.all(jobs.splice(0))
    }
  }
  await Promise.all(jobs)
  return n
}

function syncArgs(dataDir: string, folder: string, bucket: string, kmsKey: string, concurrency?: number) {
  return ourCliArgs({ dataDir, command: 'sync', path: folder, bucket, kmsKey, concurrency })
}

function jobCount(dataDir: string): { jobs: number; done: number; notDone: number } {
  const db = new Database(join(dataDir, 'queue.db'), { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
      state: string
      n: number
    }[]
    const jobs = rows.reduce((a, r) => a + r.n, 0)
    const done = rows.find((r) => r.state === 'done')?.n ?? 0
    return { jobs, done, notDone: jobs - done }
  } finally {
    db.close()
  }
}

function stateRows(dataDir: string): number {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true, fileMustExist: true })
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n
  } finally {
    db.close()
  }
}

function checkPass(run: Measured, what: string): void {
  if (run.code !== 0 || !run.stdout.includes('In sync.'))
    throw new Error(
      `${what}: exit ${run.code ?? run.signal}, stdout ${run.stdout.slice(-500)}, stderr ${run.stderr.slice(-1500)}`,
    )
}

async function catchUp(setup: Setup) {
  const folder = join(await tempDir('tree'), 'tree')
  const t0 = performance.now()
  const files = await makeTree(folder)
  log(`${files} files in ${dirs} folders created in ${fmtS(performance.now() - t0)}`)
  const bucket = await createBucket(setup.s3, 'catchup')
  const dataDir = await cliDataDir(setup.rgw, setup.keyring, 'sync-home')
  const env = cliEnv(setup.keyring)

  await waitForQuiet()
  log(`first sync pass (uploads everything, --concurrency ${firstConcurrency})...`)
  const first = await runMeasured(
    process.execPath,
    syncArgs(dataDir, folder, bucket, setup.kmsKey, firstConcurrency),
    {
      env,
    },
  )
  checkPass(first, 'first sync pass')
  const firstRate = files / (first.wallMs / 1000)
  log(
    `first pass: ${fmtS(first.wallMs)} (${firstRate.toFixed(0)} files/s), peak RSS ${fmtMB(first.peakRssBytes)}, CPU ${first.cpuSeconds.toFixed(1)} s, RGW CPU ${first.serviceCpuSeconds.toFixed(1)} s, other CPU ${first.foreignCpuSeconds.toFixed(1)} s`,
  )
  const firstDoneAt = Date.now()
  const tList = performance.now()
  const objects = await listAll(setup.s3, bucket)
  const listMs = performance.now() - tList
  if (objects.length !== files)
    throw new Error(`after the first pass the bucket holds ${objects.length} objects, not ${files}`)
  for (const key of [
    'd-0000/f-000.txt',
    `d-${String(dirs - 1).padStart(4, '0')}/f-${String(perDir - 1).padStart(3, '0')}.txt`,
  ])
    await assertKms(setup.s3, bucket, key, setup.kmsKey)
  const before = jobCount(dataDir)
  const rowsBefore = stateRows(dataDir)
  if (before.done !== files || rowsBefore !== files)
    throw new Error(
      `after the first pass: ${JSON.stringify(before)} jobs, ${rowsBefore} state rows (expected ${files})`,
    )
  log(
    `verified: ${objects.length} objects (plain-SDK listing of them took ${fmtS(listMs)}), ${rowsBefore} state rows`,
  )

  // The bare walk once to warm the cache (ours gets the same warm cache); then find and our restart alternate, three
  // times each, so that a slow moment of this shared machine does not fall on one side only.
  const findArgs = [folder, '-type', 'f', '-printf', '%s %T@\\n']
  await runMeasured('find', findArgs, { discardStdout: true })
  await sleep(1100) // LastModified has 1 s resolution: anything uploaded from here on is newer than firstDoneAt
  const finds: Measured[] = []
  const passes: Measured[] = []
  let noisy = false
  for (let i = 0; i < 3; i++) {
    const found = await measureQuietly('find', async () => ({
      run: await runMeasured('find', findArgs, { discardStdout: true }),
    }))
    finds.push(found.run)
    const result = await measureQuietly(`catch-up pass ${i + 1}`, async () => {
      const run = await runMeasured(process.execPath, syncArgs(dataDir, folder, bucket, setup.kmsKey), {
        env,
      })
      checkPass(run, `catch-up pass ${i + 1}`)
      log(
        `find ${fmtS(found.run.wallMs)}; catch-up pass ${i + 1}: ${fmtS(run.wallMs)}, peak RSS ${fmtMB(run.peakRssBytes)}, CPU ${run.cpuSeconds.toFixed(1)} s, RGW CPU ${run.serviceCpuSeconds.toFixed(1)} s, other CPU ${run.foreignCpuSeconds.toFixed(1)} s`,
      )
      return { run }
    })
    noisy ||= result.noisy || found.noisy
    passes.push(result.run)
  }
  const findMs = median(finds.map((f) => f.wallMs))
  const findAfter = await runMeasured('find', findArgs, { discardStdout: true })

  // Zero uploads: no new job, no object newer than the end of the first pass, same object count, clean status.
  const after = jobCount(dataDir)
  const objectsAfter = await listAll(setup.s3, bucket)
  const newer = objectsAfter.filter((o) => o.lastModified > firstDoneAt)
  const status = await runMeasured(process.execPath, [CLI_PATH, '--data-dir', dataDir, '--json', 'status'], {
    env,
  })
  const statusJson = JSON.parse(status.stdout) as {
    status: { queued: number; failed: number; state: string }
  }
  const uploads = after.jobs - before.jobs
  const zeroUploads =
    uploads === 0 &&
    newer.length === 0 &&
    objectsAfter.length === files &&
    statusJson.status.queued === 0 &&
    statusJson.status.failed === 0
  log(
    `after the catch-up passes: ${uploads} new jobs, ${newer.length} objects newer than the first pass, ${objectsAfter.length} objects, status ${JSON.stringify(statusJson.status)}`,
  )

  let profileText = ''
  if (profile) {
    const dir = await tempDir('prof')
    await waitForQuiet()
    const child = startMeasured(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, ...syncArgs(dataDir, folder, bucket, setup.kmsKey)],
      { env },
    )
    const rss = sampleRss(child.pid())
    const run = await child.result
    rss.stop()
    checkPass(run, 'profiled catch-up pass')
    const [file] = await profilesIn(dir)
    const slice = Math.max(100, Math.ceil(run.wallMs / 40 / 100) * 100)
    profileText = file
      ? `CPU profile of a catch-up pass (profiled run ${fmtS(run.wallMs)}, CPU ${run.cpuSeconds.toFixed(1)} s, peak RSS ${fmtMB(run.peakRssBytes)}; profiling slows it down):\n${await summarizeFile(file)}\ntimeline:\n${await timelineOf(file, slice, rss.samples)}`
      : 'no profile written'
  }

  const catchUpMs = median(passes.map((p) => p.wallMs))
  return {
    files,
    firstPassMs: first.wallMs,
    firstRate,
    firstPeakRssBytes: first.peakRssBytes,
    listAllMs: listMs,
    findMs,
    findRuns: [...finds.map((f) => f.wallMs), findAfter.wallMs],
    passesMs: passes.map((p) => p.wallMs),
    passesCpuS: passes.map((p) => p.cpuSeconds),
    passesServiceCpuS: passes.map((p) => p.serviceCpuSeconds),
    passesForeignCpuS: passes.map((p) => p.foreignCpuSeconds),
    noisy,
    firstForeignCpuS: first.foreignCpuSeconds,
    ratio: catchUpMs / findMs,
    firstRestartRatio: (passes[0]?.wallMs ?? Number.NaN) / findMs,
    peakRssBytes: Math.max(...passes.map((p) => p.peakRssBytes)),
    uploads,
    newerObjects: newer.length,
    zeroUploads,
    profileText,
  }
}

async function main(): Promise<void> {
  assertCliBuilt()
  console.log(`sync benchmark - ${machine()} - code ${revision()}`)
  const keyring = await startKeyring()
  const rgw = await startRgw('memstore')
  const setup: Setup = { rgw, s3: s3For(rgw), keyring, kmsKey: rgw.kmsKeyIds[0]! }
  const results: Record<string, unknown> = { machine: machine() }
  const targets: string[][] = []

  if (!args.has('skip-watch')) {
    const w = await watchLatency(setup)
    results.watch = w
    console.log(
      `\n(a) watch latency: ${writes} single-file writes of ${WRITE_BYTES} B, write -> object visible (HEAD every ${POLL_MS} ms)`,
    )
    console.log(
      table(
        [
          'settle delay',
          'raw SSE-KMS PUT (median)',
          'p50',
          'p95',
          'min',
          'max',
          'target p50',
          'watch peak RSS',
          'watch CPU',
          'other CPU (noise)',
        ],
        [
          [
            fmtMs(w.settleMs),
            `${w.rawPutMs.toFixed(1)} ms`,
            fmtMs(w.p50),
            fmtMs(w.p95),
            fmtMs(w.min),
            fmtMs(w.max),
            `<= ${fmtMs(w.targetMs)}`,
            fmtMB(w.watchPeakRssBytes),
            `${w.watchCpuSeconds.toFixed(1)} s in ${fmtS(w.watchWallMs)}`,
            `${w.watchForeignCpuSeconds.toFixed(1)} s`,
          ],
        ],
      ),
    )
    targets.push([
      'watch p50 <= settle + 3 x raw PUT',
      `${fmtMs(w.p50)} vs ${fmtMs(w.targetMs)} (${(w.p50 / w.settleMs).toFixed(2)}x the settle delay)`,
      verdict(w.p50 <= w.targetMs),
    ])
  }

  if (!args.has('skip-catchup')) {
    const c = await catchUp(setup)
    results.catchUp = { ...c, profileText: undefined }
    console.log(`\n(b) restart catch-up on ${c.files} unchanged files (${dirs} dirs x ${perDir})`)
    console.log(
      table(
        ['measure', 'value'],
        [
          [
            'first pass (uploads all)',
            `${fmtS(c.firstPassMs)} = ${c.firstRate.toFixed(0)} files/s, peak RSS ${fmtMB(c.firstPeakRssBytes)}`,
          ],
          [
            "find -type f -printf '%s %T@\\n' (median of 3; runs, last one after the passes)",
            `${fmtS(c.findMs)} (runs ${c.findRuns.map((m) => fmtMs(m)).join(', ')})`,
          ],
          [
            'restart catch-up passes (median)',
            `${c.passesMs.map((m) => fmtS(m)).join(', ')} (${fmtS(median(c.passesMs))})`,
          ],
          ['catch-up CPU (user+sys) per pass', c.passesCpuS.map((s) => `${s.toFixed(1)} s`).join(', ')],
          ['RGW CPU meanwhile', c.passesServiceCpuS.map((s) => `${s.toFixed(1)} s`).join(', ')],
          [
            'other processes meanwhile (shared machine noise)',
            `${c.passesForeignCpuS.map((s) => `${s.toFixed(1)} s`).join(', ')}${c.noisy ? ' NOISY' : ''}`,
          ],
          ['ratio median catch-up / median find', fmtRatio(c.ratio)],
          ['ratio first restart / median find', fmtRatio(c.firstRestartRatio)],
          ['plain-SDK listing of the bucket (for scale)', fmtS(c.listAllMs)],
          ['uploads in the catch-up passes', `${c.uploads} new jobs, ${c.newerObjects} newer objects`],
          ['catch-up peak RSS', fmtMB(c.peakRssBytes)],
        ],
      ),
    )
    targets.push(['catch-up <= 3 x find (medians)', fmtRatio(c.ratio), verdict(c.ratio <= 3)])
    targets.push([
      'catch-up uploads nothing',
      c.zeroUploads ? 'zero uploads' : `${c.uploads} uploads`,
      verdict(c.zeroUploads),
    ])
    targets.push(['catch-up peak RSS < 400 MB', fmtMB(c.peakRssBytes), verdict(c.peakRssBytes < 400e6)])
    if (c.profileText) console.log(`\n${c.profileText}`)
  }

  console.log('\nTargets:')
  console.log(table(['target', 'measured', 'verdict'], targets))
  const out = args.get('json-out')
  if (out) await writeFile(out, `${JSON.stringify(results, null, 2)}\n`)
}

runMain(main)
