/**
 * bench:transfers (issue 17 point 5): the Transfers view of the web UI with 100,000 jobs in the queue.
 *
 * The queue is filled by the documented fast path of test/support/queue-fill.ts (real jobs through the job store
 * and its transitions: 95% done, two causes of failure, a few queued with the queue paused), the built web UI is
 * started (`node out/main/cli.js --data-dir DIR serve`), Debian's chromium opens it through Playwright (the flags
 * of playwright.config.ts), and each round, in a fresh page, clicks Transfers and measures:
 * - first rows painted: from the click to the first frame after a transfer row is in the DOM (in the page);
 * - WebSocket bytes received by the page, and its largest frame (Playwright's websocket framereceived);
 * - the renderer's JS heap (CDP Runtime.getHeapUsage, before and after a forced GC).
 *
 *   npm run bench:transfers -- [--jobs 100000] [--rounds 3] [--cli other/out/main/cli.js --label before]
 *
 * `--cli` measures another build the same way (the README's "before" figures: main before the paged queue).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import playwrightConfig from '../../playwright.config'
import { startHeadlessApp } from '../support/headless-app'
import { fillQueue } from '../support/queue-fill'
import { CLI_PATH, log, numberArg, onCleanup, parseArgs, ROOT, runMain } from './bench-lib'

const TARGETS = { firstRowsMs: 300, largestFrameBytes: 256 * 1024, heapBytes: 100_000_000 }
/** The e2e tier's browser: Debian's chromium with the flags of playwright.config.ts (one list of them). */
const LAUNCH = playwrightConfig.use?.launchOptions ?? {}

/**
 * Runs in the page (a string: tsx's helpers do not exist there): clicks Transfers and resolves at the first frame
 * painted with a row (a task after the animation frame that shows it).
 */
const FIRST_ROWS_AFTER_CLICK = `new Promise((resolve) => {
  const clicked = performance.now()
  document.querySelector('[data-testid="nav-transfers"]').click()
  const check = () => {
    if (!document.querySelector('[data-testid="transfer-row"]')) return requestAnimationFrame(check)
    requestAnimationFrame(() => setTimeout(() => {
      const now = performance.now()
      resolve({ firstRowsMs: now - clicked, sinceLoadMs: now })
    }, 0))
  }
  check()
})`

interface Round {
  firstRowsMs: number
  sinceLoadMs: number
  wsBytes: number
  wsFrames: number
  largestFrame: number
  heapUsed: number
  heapAfterGc: number
}

async function main(): Promise<void> {
  const args = parseArgs()
  const jobs = numberArg(args, 'jobs', 100_000)
  const rounds = numberArg(args, 'rounds', 3)
  const cli = args.get('cli') ?? CLI_PATH
  const label = args.get('label') ?? 'this build'
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-bench-transfers-'))
  onCleanup(() => rm(dir, { recursive: true, force: true }))

  const started = performance.now()
  fillQueue(dir, {
    total: jobs,
    kmsFailed: Math.round(jobs * 0.02),
    bucketFailed: Math.round(jobs * 0.005),
    queued: 500,
  })
  log(`${jobs.toLocaleString()} jobs in the queue in ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const app = await startHeadlessApp(dir, {}, cli)
  onCleanup(() => app.stop())
  const browser = await chromium.launch(LAUNCH)
  onCleanup(() => browser.close())
  const shots = join(ROOT, 'test-results/bench')
  await mkdir(shots, { recursive: true })

  const results: Round[] = []
  for (let round = 1; round <= rounds; round++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const frames: number[] = []
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => frames.push(Buffer.byteLength(payload))),
    )
    await page.goto(app.openUrl)
    await page.getByTestId('nav-transfers').waitFor()
    const timing = (await Promise.race([
      page.evaluate(FIRST_ROWS_AFTER_CLICK),
      page.waitForTimeout(120_000).then(() => {
        throw new Error('no transfer row was painted within 120 s of the click')
      }),
    ])) as {
      firstRowsMs: number
      sinceLoadMs: number
    }
    await page.waitForTimeout(1500) // events and late answers settle
    const cdp = await context.newCDPSession(page)
    const heapUsed = (await cdp.send('Runtime.getHeapUsage')).usedSize
    await cdp.send('HeapProfiler.collectGarbage')
    const heapAfterGc = (await cdp.send('Runtime.getHeapUsage')).usedSize
    if (round === 1)
      await page.screenshot({ path: join(shots, `transfers-${label.replace(/\W+/g, '-')}.png`) })
    const result: Round = {
      ...timing,
      wsBytes: frames.reduce((n, f) => n + f, 0),
      wsFrames: frames.length,
      largestFrame: Math.max(0, ...frames),
      heapUsed,
      heapAfterGc,
    }
    results.push(result)
    log(`round ${round}: ${summary(result)}`)
    await context.close()
  }
  report(label, jobs, results)
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
const mb = (n: number) => (n < 1_000_000 ? `${(n / 1000).toFixed(0)} kB` : `${(n / 1_000_000).toFixed(1)} MB`)

function summary(r: Round): string {
  return `first rows ${r.firstRowsMs.toFixed(0)} ms after the click (${r.sinceLoadMs.toFixed(0)} ms after navigation), WebSocket ${mb(r.wsBytes)} in ${r.wsFrames} frames, largest ${kib(r.largestFrame)}, heap ${mb(r.heapUsed)} (${mb(r.heapAfterGc)} after GC)`
}

function report(label: string, jobs: number, results: Round[]): void {
  const median = (pick: (r: Round) => number) => {
    const sorted = results.map(pick).sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? 0
  }
  const firstRows = median((r) => r.firstRowsMs)
  const largest = Math.max(...results.map((r) => r.largestFrame))
  const heap = Math.max(...results.map((r) => r.heapUsed))
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
  console.log(`\nbench:transfers, ${label}, ${jobs.toLocaleString()} jobs, ${results.length} rounds`)
  console.log('| measure | per round | target | verdict |')
  console.log('|---|---|---|---|')
  console.log(
    `| first rows after the click | ${results.map((r) => `${r.firstRowsMs.toFixed(0)} ms`).join(', ')} (median ${firstRows.toFixed(0)}) | <= ${TARGETS.firstRowsMs} ms | ${verdict(firstRows <= TARGETS.firstRowsMs)} |`,
  )
  console.log(
    `| first rows after navigation | ${results.map((r) => `${r.sinceLoadMs.toFixed(0)} ms`).join(', ')} | | |`,
  )
  console.log(`| WebSocket bytes received | ${results.map((r) => mb(r.wsBytes)).join(', ')} | | |`)
  console.log(
    `| largest frame | ${results.map((r) => kib(r.largestFrame)).join(', ')} | < 256 KiB | ${verdict(largest < TARGETS.largestFrameBytes)} |`,
  )
  console.log(
    `| renderer JS heap (after GC) | ${results.map((r) => `${mb(r.heapUsed)} (${mb(r.heapAfterGc)})`).join(', ')} | < 100 MB | ${verdict(heap < TARGETS.heapBytes)} |`,
  )
}

runMain(main)
