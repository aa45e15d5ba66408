import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { type BrowserContext, expect, type Page, test } from '@playwright/test'
import { rgwAccountAddArgs, runCli } from '../support/cli'
import { checkPageAndCloseAfterAll, openPage } from '../support/e2e-page'
import { type HeadlessApp, startHeadlessApp } from '../support/headless-app'
import { freshBucket, independentClient } from '../support/s3'
import type { TestServices } from '../support/services'

/**
 * The Transfers view with many jobs and failures grouped by cause (issue 17), against its own headless app (own
 * data folder, account added with the CLI) and the shared RGW (only this spec's bucket is looked at): 300 real
 * uploads, 40 files sent with a KMS key RGW does not have (a real failure: 1 fails, 39 are held), 5 with another
 * missing key and 1 alone with a third. The view pages the queue, shows one row per cause with the whole reason,
 * and retry, cancel, clear per group, "Clear failed", "Cancel all" with only failed jobs left, "Clear finished".
 */
test.describe.configure({ mode: 'serial' })

const services = JSON.parse(process.env.OBS_SYNC_E2E_SERVICES!) as TestServices
const rgw = services.rgw
const shots = 'test-results/screenshots'
const DONE = 300

let app: HeadlessApp
let context: BrowserContext
let page: Page
let bucket: string
const errors: string[] = []
/** Every job change (of queue:jobs events) the page received from the server, in order: what the server says, not what is drawn. */
const jobEvents: { id: number; key: string; state: string }[] = []

async function files(dir: string, n: number, size = 2048): Promise<string> {
  await mkdir(dir, { recursive: true })
  for (let i = 0; i < n; i++)
    await writeFile(join(dir, `f${String(i).padStart(3, '0')}.bin`), randomBytes(size))
  return dir
}

const problem = (reason: RegExp) =>
  page
    .getByTestId('transfer-problem')
    .filter({ has: page.getByTestId('transfer-problem-title').filter({ hasText: reason }) })

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000)
  bucket = await freshBucket(rgw, 'e2e-transfers')
  const base = await mkdtemp(join(services.runDir, 'transfers-e2e-'))
  const dataDir = join(base, 'data')
  const env = { ...services.keyring }
  const added = await runCli(
    ['--data-dir', dataDir, ...rgwAccountAddArgs(rgw, 'RGW')],
    env,
    rgw.secretAccessKey,
  )
  expect(added.code, added.stderr).toBe(0)
  const upload = (dir: string, prefix: string, key: string) =>
    runCli(
      [
        '--data-dir',
        dataDir,
        'upload',
        dir,
        '--bucket',
        bucket,
        '--prefix',
        prefix,
        '--sse',
        'kms',
        '--kms-key',
        key,
      ],
      env,
    )
  const ok = await upload(await files(join(base, 'many'), DONE), 'many', rgw.kmsKeyIds[0]!)
  expect(ok.code, ok.stderr).toBe(0)
  // Real failures on RGW: keys it does not have. One request fails, the rest of the batch is held.
  for (const [dir, n, key] of [
    ['bad9', 40, 'nokey-9'],
    ['bad7', 5, 'nokey-7'],
    ['bad5', 1, 'nokey-5'],
  ] as const) {
    const failed = await upload(await files(join(base, dir), n), dir, key)
    expect(failed.code, failed.stdout).toBe(1)
  }
  app = await startHeadlessApp(dataDir, env)
  ;({ context, page } = await openPage(browser, errors))
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type?: string; event?: string; payload?: unknown }
      // Changes come coalesced: one queue:jobs event carries many jobs, each once.
      if (frame.type === 'event' && frame.event === 'queue:jobs')
        jobEvents.push(...(frame.payload as { id: number; key: string; state: string }[]))
    }),
  )
  await page.goto(app.openUrl)
  await page.getByTestId('nav-transfers').click()
})

checkPageAndCloseAfterAll(errors, () => ({ context, app }))

test('many jobs: a window of the queue, more on demand; one row per cause with the whole reason', async () => {
  await expect(page.getByTestId('transfers-summary')).toContainText(`${DONE} done`)
  await expect(page.getByTestId('transfers-summary')).toContainText('3 failed')
  const list = page.getByTestId('transfer-list')
  await expect(list).toHaveAttribute('aria-label', 'Transfers, 100 jobs shown')
  await page.getByTestId('transfers-show-more').click()
  await expect(list).toHaveAttribute('aria-label', 'Transfers, 200 jobs shown')

  const kms9 = problem(/^40 uploads failed: .*nokey-9/)
  await expect(kms9).toHaveCount(1)
  await expect(kms9.getByTestId('transfer-problem-breakdown')).toHaveText(
    '1 failed, 39 held until the cause is fixed',
  )
  await expect(kms9.getByTestId('transfer-problem-examples')).toContainText(`${bucket}/bad9/bad9/f000.bin`)
  await expect(kms9.getByTestId('transfer-problem-examples')).toContainText('and 35 more')
  await expect(problem(/^5 uploads failed: .*nokey-7/)).toHaveCount(1)
  await expect(problem(/^1 upload failed: .*nokey-5/)).toHaveCount(1)
  // The whole reason is on screen: the title is not cut off (no ellipsis, as tall as its text).
  const title = kms9.getByTestId('transfer-problem-title')
  const cut = await title.evaluate(
    (el) => getComputedStyle(el).textOverflow === 'ellipsis' || el.scrollWidth > el.clientWidth,
  )
  expect(cut).toBe(false)
  // None of the 46 grouped jobs is a row of its own in "All".
  await expect(page.locator('[data-testid="transfer-row"][data-state="failed"]')).toHaveCount(0)
  await page.screenshot({ path: `${shots}/transfers-grouped.png` })
})

test('a group retried fails again on RGW; a group cancelled; "Clear failed" removes the failed uploads with the rest of their batches', async () => {
  const kms9 = problem(/nokey-9/)
  const seen = jobEvents.length
  await kms9.getByTestId('transfer-problem-retry').click()
  // Retried for real: wait for the server to say so (the breakdown below reads the same before and after the
  // retry, so alone it could pass on the old rows): every one of the 40 jobs changed again and has settled, one
  // failed and the rest held (paused).
  await expect
    .poll(
      () => {
        const last = new Map<number, string>()
        for (const job of jobEvents.slice(seen)) if (job.key.startsWith('bad9/')) last.set(job.id, job.state)
        const states = [...last.values()]
        return `${states.length} jobs, ${states.filter((s) => s === 'failed').length} failed, ${states.filter((s) => s === 'paused').length} held`
      },
      { timeout: 30_000 },
    )
    .toBe('40 jobs, 1 failed, 39 held')
  await expect(kms9.getByTestId('transfer-problem-breakdown')).toHaveText(
    '1 failed, 39 held until the cause is fixed',
    {
      timeout: 30_000,
    },
  )
  await problem(/nokey-7/)
    .getByTestId('transfer-problem-cancel')
    .click()
  await expect(problem(/nokey-7/)).toHaveCount(0)
  // "40 uploads failed" go whole: the one that failed and the 39 held with it (cleared alone, the first file of
  // the batch vanished and the others stayed), and the single one of nokey-5.
  await page.getByTestId('transfers-clear-failed').click()
  await expect(page.getByTestId('transfer-problem')).toHaveCount(0)
  await expect(page.getByTestId('transfers-summary')).toContainText('0 paused · 0 failed')
  await expect(page.getByTestId('status-state')).not.toHaveText('Attention needed')
  await page.screenshot({ path: `${shots}/transfers-cleared-failed.png` })
})

test('a group cleared; "Cancel all" works when only failed jobs are left; "Clear finished"', async () => {
  const cancelled = page.locator('[data-testid="transfer-row"][data-state="cancelled"]')
  /** One of the cancelled uploads (`left` of them) retried: it fails again, a real request to RGW. */
  const retryOneCancelled = async (left: number) => {
    await page.getByTestId('transfers-filter-finished').click()
    await expect(cancelled).toHaveCount(left)
    await cancelled.first().getByTestId('transfer-retry').click()
    await expect(page.getByTestId('transfers-summary')).toContainText(
      '0 running · 0 queued · 0 paused · 1 failed',
      { timeout: 30_000 },
    )
    await page.getByTestId('transfers-filter-all').click()
  }

  // The failed one's group is cleared.
  await retryOneCancelled(5)
  await problem(/^1 upload failed: .*nokey-7/)
    .getByTestId('transfer-problem-clear')
    .click()
  await expect(problem(/nokey-7/)).toHaveCount(0)
  await expect(page.getByTestId('transfers-summary')).toContainText('0 failed')

  // Only a failed job left to act on: another one retried fails again, and "Cancel all" cancels it.
  await retryOneCancelled(4)
  await expect(problem(/^1 upload failed: .*nokey-7/)).toHaveCount(1)
  const cancelAll = page.getByTestId('transfers-cancel-all')
  await expect(cancelAll).toBeEnabled()
  await cancelAll.click()
  await expect(page.getByTestId('transfers-summary')).toContainText('0 failed')
  await expect(problem(/nokey-7/)).toHaveCount(0)

  await page.getByTestId('transfers-clear-finished').click()
  await expect(page.getByTestId('transfers-history')).toHaveText(/^300 uploaded earlier \(/)
  await expect(page.getByTestId('transfers-summary')).toContainText('0 done')
  await page.screenshot({ path: `${shots}/transfers-cleared.png` })

  // Nothing of the failed or cancelled uploads reached the bucket; the 300 did.
  const listing = await independentClient(rgw).send(new ListObjectsV2Command({ Bucket: bucket }))
  expect(listing.KeyCount).toBe(DONE)
  expect((listing.Contents ?? []).every((o) => o.Key?.startsWith('many/'))).toBe(true)
})
