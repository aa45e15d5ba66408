/**
 * `npm run bench:queue` - our upload queue (the built CLI, `obs-sync upload`, as a child process) against
 * `rclone copy` with matched concurrency and the same SSE-KMS settings, over TLS to throwaway Ceph RGWs, in the
 * same run, a fresh bucket for every upload:
 *   (a) 2,000 files of 16 KiB (memstore RGW), for each --concurrency N: ours `--concurrency N` vs rclone
 *       `--transfers N --checkers N`;
 *   (b) one 512 MiB file (bluestore RGW: memstore would hold it in RAM): ours (8 MiB parts, 4 in flight) vs rclone
 *       `--s3-chunk-size 8M --s3-upload-concurrency 4`.
 * Every upload is verified (object count, sizes, SSE-KMS key, bytes of a sample / of the big file) before its time
 * counts. Prints wall times, ratio ours/rclone and peak RSS (GNU time, the measured process itself).
 *
 * Options: --concurrency 4,8 (or `default`: ours at its own defaults, no --concurrency, vs rclone
 *          --transfers 16; --rclone-transfers N sets rclone's)  --rounds 2 (order alternates: ours first, then rclone first)  --files 2000
 *          --file-kib 16  --large-mib 512  --skip-small  --skip-large
 *          --profile (one extra run of ours per case under `node --cpu-prof`, summarised; not timed)
 *          --rtt MS (both tools talk to RGW through the fault proxy of test/support, MS/2 added each way, TLS
 *          passing through it: a WAN-like link instead of loopback; the proxy's CPU counts with RGW's)
 *          --json-out FILE (the figures as JSON)
 *          --base-cli PATH (a third tool: another build of our CLI, e.g. main's `out/main/cli.js` copied
 *          elsewhere, measured in the same rounds: before/after a change side by side)
 *          --tries 3, --quiet-wait 120 (a disturbed sample is measured again up to `tries` times, each after
 *          waiting up to `quiet-wait` seconds for a quiet machine; on a machine busy with other work, 1 and 5)
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { startFaultProxyProcess } from '../support/fault-proxy-process'
import type { KeyringEnv } from '../support/services'
import {
  assertCliBuilt,
  assertKms,
  cliDataDir,
  cliEnv,
  createBucket,
  fmtMB,
  fmtRatio,
  fmtS,
  listAll,
  log,
  type Measured,
  MiB,
  machine,
  measureQuietly,
  median,
  numberArg,
  onCleanup,
  ourCliArgs,
  parseArgs,
  type Rgw,
  revision,
  runMain,
  runMeasured,
  s3For,
  servicePids,
  sha256OfFile,
  sha256OfObject,
  startKeyring,
  startRgw,
  table,
  tempDir,
  verdict,
} from './bench-lib'
import { profilesIn, summarizeFile, timelineOf } from './cpu-profile'

type Tool = 'ours' | 'rclone' | 'base'

interface Sample {
  case: string
  round: number
  tool: Tool
  wallMs: number
  peakRssBytes: number
  cpuSeconds: number
  serviceCpuSeconds: number
  foreignCpuSeconds: number
  /** Other processes used more than NOISE_LIMIT of the machine even in the best of the attempts. */
  noisy: boolean
}

const args = parseArgs()
/** undefined: ours at its defaults (no --concurrency). */
const concurrencies = (args.get('concurrency') ?? '4,8')
  .split(',')
  .map((v) => (v === 'default' ? undefined : Number(v)))
const rcloneTransfersArg = args.get('rclone-transfers')
/** rclone's --transfers/--checkers for our concurrency `n`: the same, or 16 against our defaults. */
const rcloneTransfers = (n: number | undefined) =>
  rcloneTransfersArg ? Number(rcloneTransfersArg) : (n ?? 16)
const baseCli = args.get('base-cli')
const tools: Tool[] = baseCli ? ['ours', 'rclone', 'base'] : ['ours', 'rclone']
const rounds = numberArg(args, 'rounds', 2)
const fileCount = numberArg(args, 'files', 2000)
const fileKiB = numberArg(args, 'file-kib', 16)
const largeMiB = numberArg(args, 'large-mib', 512)
const profile = args.has('profile')
const rttMs = numberArg(args, 'rtt', 0)
const tries = numberArg(args, 'tries', 3)
const quietWaitMs = numberArg(args, 'quiet-wait', 120) * 1000
const PART_MIB = 8 // main/core/storage/upload-multipart.ts choosePartSize default
const PART_CONCURRENCY = 4 // main/core/storage/upload-multipart.ts partConcurrency default

/** What rclone is given: an s3 remote "bench" defined by environment variables (no config file). */
function rcloneEnv(rgw: Rgw, kmsKey: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG: '/nonexistent/rclone.conf',
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Ceph',
    RCLONE_CONFIG_BENCH_ENV_AUTH: 'false',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: rgw.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: rgw.secretAccessKey,
    RCLONE_CONFIG_BENCH_ENDPOINT: rgw.httpsEndpoint,
    RCLONE_CONFIG_BENCH_REGION: rgw.region,
    RCLONE_CONFIG_BENCH_SERVER_SIDE_ENCRYPTION: 'aws:kms',
    RCLONE_CONFIG_BENCH_SSE_KMS_KEY_ID: kmsKey,
  }
  // Debian's rclone fails with LoadCustomCABundleError when this is set (see /work/shared/TOOLCHAIN.md).
  delete env.AWS_CA_BUNDLE
  return env
}

/**
 * With --rtt: the same RGW behind the fault proxy (its own process), RTT/2 of latency each way. Both tools get
 * the proxy's endpoint; the verifying client keeps talking to RGW directly.
 */
async function behindLink(rgw: Rgw): Promise<Rgw> {
  if (!rttMs) return rgw
  const target = new URL(rgw.httpsEndpoint)
  const proxy = await startFaultProxyProcess({
    targetHost: target.hostname,
    targetPort: Number(target.port),
    link: { upLatencyMs: rttMs / 2, downLatencyMs: rttMs / 2 },
  })
  servicePids.add(proxy.pid)
  onCleanup(async () => {
    servicePids.delete(proxy.pid)
    await proxy.stop()
  })
  log(`fault proxy (pid ${proxy.pid}) at ${proxy.url()}: ${rttMs / 2} ms each way to ${rgw.httpsEndpoint}`)
  return { ...rgw, httpsEndpoint: proxy.url() }
}

interface Setup {
  rgw: Rgw
  s3: S3Client
  keyring: KeyringEnv
  kmsKey: string
}

async function runOurs(
  setup: Setup,
  source: string,
  concurrency: number | undefined,
  extraNodeArgs: string[] = [],
  cliPath?: string,
): Promise<{ run: Measured; bucket: string }> {
  const dataDir = await cliDataDir(setup.rgw, setup.keyring, 'ours-home')
  const bucket = await createBucket(setup.s3, 'ours')
  const run = await runMeasured(
    process.execPath,
    ourCliArgs({
      dataDir,
      command: 'upload',
      path: source,
      bucket,
      kmsKey: setup.kmsKey,
      concurrency,
      nodeArgs: extraNodeArgs,
      cliPath,
    }),
    { env: cliEnv(setup.keyring) },
  )
  if (run.code !== 0)
    throw new Error(
      `obs-sync upload failed (exit ${run.code}): ${run.stderr.slice(-2000)}${run.stdout.slice(-500)}`,
    )
  return { run, bucket }
}

async function runRclone(
  setup: Setup,
  source: string,
  concurrency: number | undefined,
  extra: string[] = [],
): Promise<{ run: Measured; bucket: string }> {
  const bucket = await createBucket(setup.s3, 'rclone')
  // Same keys as ours: the folder's name, then the path inside it (a single file: its name).
  const isDir = !extra.includes('--single-file')
  const target = isDir ? `bench:${bucket}/${basename(source)}` : `bench:${bucket}`
  const run = await runMeasured(
    'rclone',
    [
      'copy',
      source,
      target,
      '--transfers',
      String(rcloneTransfers(concurrency)),
      '--checkers',
      String(rcloneTransfers(concurrency)),
      '--ca-cert',
      setup.rgw.caFile,
      ...extra.filter((a) => a !== '--single-file'),
    ],
    { env: rcloneEnv(setup.rgw, setup.kmsKey) },
  )
  if (run.code !== 0) throw new Error(`rclone copy failed (exit ${run.code}): ${run.stderr.slice(-2000)}`)
  return { run, bucket }
}

/** The small-file upload is complete and right: every key, size, and a sample's bytes and SSE-KMS key. */
async function verifySmall(setup: Setup, bucket: string, source: string, files: Map<string, string>) {
  const objects = await listAll(setup.s3, bucket)
  const expected = new Set([...files.keys()].map((name) => `${basename(source)}/${name}`))
  const wrong = objects.filter((o) => !expected.has(o.key) || o.size !== fileKiB * 1024)
  if (objects.length !== files.size || wrong.length > 0)
    throw new Error(
      `${bucket}: ${objects.length} objects (expected ${files.size}), ${wrong.length} unexpected, e.g. ${JSON.stringify(wrong[0])}`,
    )
  const names = [...files.keys()]
  for (const i of [0, 1, Math.floor(names.length / 2), names.length - 2, names.length - 1]) {
    const name = names[i]!
    const key = `${basename(source)}/${name}`
    if ((await sha256OfObject(setup.s3, bucket, key)) !== files.get(name))
      throw new Error(`${bucket}/${key}: content differs from the source file`)
    await assertKms(setup.s3, bucket, key, setup.kmsKey)
  }
}

async function verifyLarge(setup: Setup, bucket: string, path: string, sha256: string) {
  const objects = await listAll(setup.s3, bucket)
  const key = basename(path)
  if (objects.length !== 1 || objects[0]?.key !== key || objects[0].size !== largeMiB * MiB)
    throw new Error(`${bucket}: expected exactly ${key} of ${largeMiB} MiB, got ${JSON.stringify(objects)}`)
  await assertKms(setup.s3, bucket, key, setup.kmsKey)
  if ((await sha256OfObject(setup.s3, bucket, key)) !== sha256)
    throw new Error(`${bucket}/${key}: content differs from the source file`)
}

function summaryOf(run: Measured): string {
  return `${fmtS(run.wallMs)}, peak RSS ${fmtMB(run.peakRssBytes)}, CPU ${run.cpuSeconds.toFixed(1)} s, RGW CPU ${run.serviceCpuSeconds.toFixed(1)} s, other CPU ${run.foreignCpuSeconds.toFixed(1)} s`
}

async function profileOurs(
  setup: Setup,
  source: string,
  concurrency: number | undefined,
  label: string,
): Promise<string> {
  const dir = await tempDir('prof')
  const { run, bucket } = await runOurs(setup, source, concurrency, ['--cpu-prof', '--cpu-prof-dir', dir])
  const [file] = await profilesIn(dir)
  if (!file) return `${label}: no profile written`
  await listAll(setup.s3, bucket) // the profiled run uploaded too (not verified in detail: not timed)
  const slice = Math.max(100, Math.ceil(run.wallMs / 30 / 100) * 100)
  return `CPU profile of ours, ${label} (profiled run ${summaryOf(run)}; profiling slows it down):\n${await summarizeFile(file)}\ntimeline:\n${await timelineOf(file, slice)}`
}

async function main(): Promise<void> {
  assertCliBuilt()
  console.log(
    `queue benchmark - ${machine()} - code ${revision()}${rttMs ? ` - through the fault proxy, RTT +${rttMs} ms` : ''}`,
  )
  if (baseCli) console.log(`base: node ${baseCli} (the same command, another build)`)
  console.log(
    `ours: node out/main/cli.js [--concurrency N] upload <folder|file> --sse kms --kms-key K (child process, keychain account)`,
  )
  console.log(
    `rclone ${'1.60'}: rclone copy <src> bench:<bucket> --transfers N --checkers N --ca-cert CA; remote: provider Ceph, server_side_encryption aws:kms, sse_kms_key_id K`,
  )
  const keyring = await startKeyring()
  const work = await tempDir('queue')
  const samples: Sample[] = []
  const profiles: string[] = []
  const record = (c: string, round: number, tool: Tool, run: Measured, noisy: boolean) =>
    samples.push({
      noisy,
      case: c,
      round,
      tool,
      wallMs: run.wallMs,
      peakRssBytes: run.peakRssBytes,
      cpuSeconds: run.cpuSeconds,
      serviceCpuSeconds: run.serviceCpuSeconds,
      foreignCpuSeconds: run.foreignCpuSeconds,
    })
  /** An RGW keeping objects in `objectStore`, reached by both tools through the link under test (`--rtt`). */
  async function benchRgw(objectStore: Parameters<typeof startRgw>[0]) {
    const direct = await startRgw(objectStore)
    const rgw = await behindLink(direct)
    const setup: Setup = { rgw, s3: s3For(direct), keyring, kmsKey: rgw.kmsKeyIds[0]! }
    return { direct, setup }
  }
  /**
   * Every round of one case: each tool in the round's order uploads (`upload`), measured in a quiet moment; its
   * upload is verified (`verify`, on the bucket it went to) before the run counts, then recorded.
   */
  async function measureRounds(
    label: string,
    upload: (tool: Tool) => Promise<{ run: Measured; bucket: string }>,
    verify: (bucket: string) => Promise<void>,
  ): Promise<void> {
    for (let round = 1; round <= rounds; round++) {
      for (const tool of orderOf(round)) {
        const { run, noisy } = await measureQuietly(
          `${label} round ${round} ${tool}`,
          async () => {
            const result = await upload(tool)
            await verify(result.bucket)
            log(`${label} round ${round} ${tool}: ${summaryOf(result.run)} (verified)`)
            return result
          },
          tries,
          quietWaitMs,
        )
        record(label, round, tool, run, noisy)
      }
    }
  }

  if (!args.has('skip-small')) {
    const { direct, setup } = await benchRgw('memstore')
    const source = join(work, 'small')
    await mkdir(source)
    const files = new Map<string, string>()
    for (let i = 0; i < fileCount; i++) {
      const name = `f-${String(i).padStart(5, '0')}.bin`
      const data = randomBytes(fileKiB * 1024)
      await writeFile(join(source, name), data)
      files.set(name, createHash('sha256').update(data).digest('hex'))
    }
    log(`${fileCount} files of ${fileKiB} KiB written to ${source}`)
    // Warm-up (not counted): connections, KMS key cache and the bucket index path of both tools.
    const warm = join(work, 'warm')
    await mkdir(warm)
    for (let i = 0; i < 20; i++) await writeFile(join(warm, `w-${i}`), randomBytes(1024))
    await runOurs(setup, warm, 4)
    await runRclone(setup, warm, 4)
    for (const n of concurrencies) {
      const label = `${fileCount} x ${fileKiB} KiB, N=${n ?? `default (rclone ${rcloneTransfers(n)})`}`
      await measureRounds(
        label,
        (tool) =>
          tool === 'rclone'
            ? runRclone(setup, source, n)
            : runOurs(setup, source, n, [], tool === 'base' ? baseCli : undefined),
        (bucket) => verifySmall(setup, bucket, source, files),
      )
      if (profile) profiles.push(await profileOurs(setup, source, n, label))
    }
    await direct.stop()
  }

  if (!args.has('skip-large')) {
    const { direct, setup } = await benchRgw('bluestore')
    const dir = join(work, 'large')
    await mkdir(dir)
    const path = join(dir, `large-${largeMiB}MiB.bin`)
    const handle = await open(path, 'w')
    for (let i = 0; i < largeMiB; i++) await handle.write(randomBytes(MiB))
    await handle.close()
    const sha256 = await sha256OfFile(path)
    log(`${largeMiB} MiB file written to ${path}`)
    const n = concurrencies[0]
    const rcloneMultipart = [
      '--single-file',
      '--s3-chunk-size',
      `${PART_MIB}M`,
      '--s3-upload-concurrency',
      String(PART_CONCURRENCY),
      '--s3-upload-cutoff',
      '16M',
    ]
    // Warm-up (not counted): a fresh bluestore OSD allocates as it goes; both tools once with a 32 MiB file.
    const warmPath = join(dir, 'warm-32MiB.bin')
    await writeFile(warmPath, randomBytes(32 * MiB))
    await runOurs(setup, warmPath, n)
    await runRclone(setup, warmPath, n, rcloneMultipart)
    const label = `1 x ${largeMiB} MiB`
    await measureRounds(
      label,
      (tool) =>
        tool === 'rclone'
          ? runRclone(setup, path, n, rcloneMultipart)
          : runOurs(setup, path, n, [], tool === 'base' ? baseCli : undefined),
      (bucket) => verifyLarge(setup, bucket, path, sha256),
    )
    if (profile) profiles.push(await profileOurs(setup, path, n, label))
    await direct.stop()
  }

  // ---------------------------------------------------------------- report
  const cases = [...new Set(samples.map((s) => s.case))]
  const rows: string[][] = []
  const summary: Record<string, unknown>[] = []
  for (const c of cases) {
    const ratios: number[] = []
    const baseRatios: number[] = []
    for (let round = 1; round <= rounds; round++) {
      const find = (tool: Tool) => samples.find((s) => s.case === c && s.round === round && s.tool === tool)
      const [ours, rc, base] = [find('ours'), find('rclone'), find('base')]
      if (!ours || !rc) continue
      const ratio = ours.wallMs / rc.wallMs
      ratios.push(ratio)
      if (base) baseRatios.push(base.wallMs / rc.wallMs)
      const measured = [ours, rc, ...(base ? [base] : [])]
      const each = (f: (s: Sample) => string) => measured.map(f).join(' / ')
      rows.push([
        c,
        String(round),
        fmtS(ours.wallMs),
        fmtS(rc.wallMs),
        fmtRatio(ratio),
        ...(baseCli ? [base ? `${fmtS(base.wallMs)} = ${fmtRatio(base.wallMs / rc.wallMs)}` : '-'] : []),
        each((s) => fmtMB(s.peakRssBytes)),
        each((s) => s.cpuSeconds.toFixed(1)),
        each((s) => s.serviceCpuSeconds.toFixed(1)),
        `${each((s) => s.foreignCpuSeconds.toFixed(1))}${measured.some((s) => s.noisy) ? ' NOISY' : ''}`,
      ])
    }
    const ours = samples.filter((s) => s.case === c && s.tool === 'ours')
    const rc = samples.filter((s) => s.case === c && s.tool === 'rclone')
    summary.push({
      case: c,
      oursMs: median(ours.map((s) => s.wallMs)),
      rcloneMs: median(rc.map((s) => s.wallMs)),
      ratio: median(ratios),
      ratios,
      ...(baseRatios.length ? { baseRatio: median(baseRatios), baseRatios } : {}),
      oursPeakRssMB: Math.max(...ours.map((s) => s.peakRssBytes)) / 1e6,
      rclonePeakRssMB: Math.max(...rc.map((s) => s.peakRssBytes)) / 1e6,
      oursCpuS: median(ours.map((s) => s.cpuSeconds)),
      rcloneCpuS: median(rc.map((s) => s.cpuSeconds)),
    })
  }
  console.log(
    '\nResults (wall time of the whole command; peak RSS of that process; CPU = user+sys seconds of that process;\n' +
      'RGW CPU = the Ceph daemons and keyring meanwhile; other CPU = anything else on this shared machine meanwhile;\n' +
      'a sample during which other processes used > 10% of the machine was measured again, up to 3 times: NOISY = still)',
  )
  console.log(
    table(
      [
        'case',
        'round',
        'ours',
        'rclone',
        'ours/rclone',
        ...(baseCli ? ['base = base/rclone'] : []),
        `peak RSS ${tools.join(' / ')}`,
        `CPU s ${tools.join(' / ')}`,
        'RGW CPU s',
        'other CPU s',
      ],
      rows,
    ),
  )
  console.log('\nTargets (ratio = median over rounds):')
  const targetRows: string[][] = []
  for (const s of summary) {
    const ratio = s.ratio as number
    const small = String(s.case).includes('KiB')
    if (small) {
      // Through a link with latency, one request per file (ours) against rclone's two (HEAD, PUT) should show.
      const [target, goal] = rttMs ? [0.6, 0.5] : [1.0, 0.8]
      targetRows.push([
        `${s.case}: ours/rclone <= ${target.toFixed(2)} (goal ${goal.toFixed(2)})`,
        fmtRatio(ratio),
        `${verdict(ratio <= target)}${ratio <= goal ? ', goal met' : ', goal not met'}`,
      ])
    } else {
      targetRows.push([`${s.case}: ours/rclone <= 1.00`, fmtRatio(ratio), verdict(ratio <= 1.0)])
      const rss = s.oursPeakRssMB as number
      const rcloneRss = s.rclonePeakRssMB as number
      targetRows.push([
        `${s.case}: our peak RSS <= 1.5x rclone's (${rcloneRss.toFixed(0)} MB)`,
        `${rss.toFixed(0)} MB = ${fmtRatio(rss / rcloneRss)}`,
        verdict(rss <= 1.5 * rcloneRss),
      ])
    }
    if (s.baseRatio !== undefined)
      targetRows.push([`${s.case}: base/rclone (the other build)`, fmtRatio(s.baseRatio as number), ''])
  }
  console.log(table(['target', 'measured', 'verdict'], targetRows))
  for (const p of profiles) console.log(`\n${p}`)
  const json = { machine: machine(), rounds, samples, summary }
  const out = args.get('json-out')
  if (out) await writeFile(out, `${JSON.stringify(json, null, 2)}\n`)
}

/** Round 1 runs ours first, round 2 last, and so on: a machine drifting over the run favours no tool. */
function orderOf(round: number): Tool[] {
  return round % 2 === 1 ? tools : [...tools].reverse()
}

runMain(main)
