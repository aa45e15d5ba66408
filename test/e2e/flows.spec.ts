import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import { type BrowserContext, expect, type Page, test } from '@playwright/test'
import { fileTransfer } from '../support/drop-files'
import { checkPageAndCloseAfterAll, openPage } from '../support/e2e-page'
import { freshBucket, independentClient } from '../support/s3'
import type { TestServices } from '../support/services'

/**
 * The main flows of the web UI, through the UI only, against the headless app backed by the harness RGW and
 * keyring: first-run account, browsing with encryption badges, a drag-and-drop upload with a chosen KMS key,
 * details with the share refusal, and a watched folder. One page for the whole file: each step starts where the
 * previous one left the app. Test data is seeded, and results are read back, with the plain SDK.
 */
test.describe.configure({ mode: 'serial' })

const openUrl = process.env.OBS_SYNC_E2E_OPEN_URL!
const services = JSON.parse(process.env.OBS_SYNC_E2E_SERVICES!) as TestServices
const rgw = services.rgw
const shots = 'test-results/screenshots'

const ACCOUNT = 'E2E RGW'
const SEEDED_KMS_KEY = 'testkey-1'
const CHOSEN_KEY = 'testkey-2'
const UPLOAD_SIZE = 3 * 1024 * 1024

let context: BrowserContext
let page: Page
const s3 = independentClient(rgw)
let bucket: string
let localDir: string
let watchDir: string
const uploadName = `dropped-${randomBytes(3).toString('hex')}.bin`
const uploadBytes = randomBytes(UPLOAD_SIZE)
const errors: string[] = []

async function objectBytes(key: string): Promise<Buffer> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(await answer.Body!.transformToByteArray())
}

/** Polls the bucket with the plain SDK until the object exists; its head then. */
async function waitForObject(key: string, timeoutMs = 30_000) {
  let head: Awaited<ReturnType<typeof headObject>> | undefined
  await expect
    .poll(
      async () => {
        head = await headObject(key).catch(() => undefined)
        return head !== undefined
      },
      { timeout: timeoutMs, intervals: [250, 500, 1000], message: `${key} never appeared in ${bucket}` },
    )
    .toBe(true)
  return head!
}

function headObject(key: string) {
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
}

/**
 * The app fills the window and scrolls inside its panes, so a full-page screenshot is the viewport: `tall`
 * grows the window for the shot so that a long pane (the account form, the details) is seen whole.
 */
async function shot(name: string, tall = false): Promise<void> {
  const size = page.viewportSize()!
  if (tall) await page.setViewportSize({ width: size.width, height: 1200 })
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true })
  if (tall) await page.setViewportSize(size)
}

/** Back to the bucket's root in the browser, listed afresh. */
async function browseBucketRoot(): Promise<void> {
  await page.getByTestId('nav-browser').click()
  await expect(page.getByTestId('breadcrumbs')).toContainText(bucket)
  const toRoot = page.getByTestId('breadcrumb').filter({ hasText: bucket })
  if (await toRoot.count()) await toRoot.click()
  // At the root the bucket is the current crumb, no longer a button.
  await expect(toRoot).toHaveCount(0)
  await page.getByTestId('refresh-button').click()
}

function row(key: string) {
  return page.locator(`[data-testid="object-row"][data-key="${key}"]`)
}

function folderRow(prefix: string) {
  return page.locator(`[data-testid="folder-row"][data-key="${prefix}"]`)
}

test.beforeAll(async ({ browser }) => {
  bucket = await freshBucket(rgw, 'e2e')
  await Promise.all([
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms-secret.txt',
        Body: 'encrypted with the first test key',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: SEEDED_KMS_KEY,
      }),
    ),
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain-notes.txt', Body: 'not encrypted' })),
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/2024/summary.txt', Body: 'a report' })),
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/q1.csv', Body: 'a,b\n1,2\n' })),
  ])
  localDir = await mkdtemp(join(tmpdir(), 'obs-sync-e2e-files-'))
  watchDir = await mkdtemp(join(tmpdir(), 'obs-sync-e2e-watch-'))
  await writeFile(join(localDir, uploadName), uploadBytes)

  ;({ context, page } = await openPage(browser, errors))
  await page.goto(openUrl)
})

checkPageAndCloseAfterAll(
  errors,
  () => ({ context }),
  () => Promise.all([localDir, watchDir].map((dir) => dir && rm(dir, { recursive: true, force: true }))),
)

test('first run: add the RGW account through the form, its secret goes to the keychain and the test connects', async () => {
  // No account yet: the app opens on the add-account form by itself.
  const form = page.getByTestId('account-form')
  await expect(form).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Welcome to OBS Sync' })).toBeVisible()
  await expect(page.getByTestId('account-list')).toHaveCount(0)

  await page.getByTestId('account-preset').selectOption({ label: 'Ceph RADOS Gateway' })
  // The preset fills the name, region and addressing.
  await expect(page.getByTestId('account-name')).toHaveValue('Ceph RADOS Gateway')
  await expect(page.getByTestId('account-addressing-path')).toBeChecked()
  await page.getByTestId('account-name').fill(ACCOUNT)
  await page.getByTestId('account-endpoint').fill(rgw.httpsEndpoint)
  await page.getByTestId('account-region').fill(rgw.region)
  await page.getByTestId('account-addressing-path').check()
  await page.getByTestId('account-access-key').fill(rgw.accessKeyId)
  await page.getByTestId('account-secret-key').fill(rgw.secretAccessKey)
  await expect(page.getByTestId('account-ca-file')).toBeHidden()
  await form.locator('summary', { hasText: 'Advanced' }).click()
  await page.getByTestId('account-ca-file').fill(rgw.caFile)
  await page.getByTestId('account-save').click()

  const result = page.getByTestId('account-test-result')
  // The e2e RGW is shared by the spec files (others make buckets of their own): at least this spec's bucket.
  await expect(result).toContainText(/Connected in \d+ ms; [1-9]\d* buckets? visible\./, { timeout: 20_000 })
  await expect(page.getByTestId('account-error')).toHaveCount(0)
  await expect(page.getByTestId('account-test-error')).toHaveCount(0)
  const list = page.getByTestId('account-list')
  await expect(list.getByTestId('account-item')).toHaveCount(1)
  await expect(list).toContainText(ACCOUNT)
  await expect(list).toContainText(rgw.httpsEndpoint)
  // The form forgets the secret once saved, and "Test again" works on the stored account.
  await expect(page.getByTestId('account-secret-key')).toHaveValue('')
  await page.getByTestId('account-test').click()
  await expect(result).toContainText(/Connected in \d+ ms/, { timeout: 20_000 })
  await shot('account-form', true)

  // The secret is in the keychain, never in the app's files (the app has no credentials from the environment).
  const dataDir = join(services.runDir, 'app-data')
  const files = await readdir(dataDir, { recursive: true, withFileTypes: true })
  const contents = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name))),
  )
  expect(contents.length).toBeGreaterThan(0)
  for (const content of contents) expect(content.includes(rgw.secretAccessKey)).toBe(false)

  await page.getByTestId('account-done').click()
  await expect(page.getByTestId('browser-view')).toBeVisible()
  // The new account's buckets are listed right away, without an error.
  const listed = page.getByTestId('bucket-list').filter({ hasText: bucket })
  const failed = page.getByTestId('buckets-error')
  await expect(listed.or(failed)).toBeVisible()
  expect(
    (await failed.count()) ? await failed.textContent() : '',
    'the first account was announced (and listed) before its secret was in the keychain',
  ).toBe('')
})

test('browse: bucket, folders, objects, an SSE-KMS badge with its key, the bucket header encryption', async () => {
  await expect(page.getByTestId('bucket-item').filter({ hasText: bucket })).toHaveCount(1)
  await page.getByTestId('bucket-item').filter({ hasText: bucket }).click()

  await expect(page.getByTestId('object-list')).toBeVisible()
  await expect(page.getByTestId('breadcrumbs')).toContainText(bucket)
  await expect(folderRow('reports/')).toBeVisible()
  await expect(row('kms-secret.txt')).toBeVisible()
  await expect(row('plain-notes.txt')).toBeVisible()

  const kmsBadge = row('kms-secret.txt').getByTestId('encryption-badge')
  await expect(kmsBadge).toHaveAttribute('data-state', 'sse-kms', { timeout: 15_000 })
  await expect(kmsBadge).toHaveText(`SSE-KMS · ${SEEDED_KMS_KEY}`)
  await expect(kmsBadge).toHaveAttribute('title', new RegExp(SEEDED_KMS_KEY))
  await expect(row('plain-notes.txt').getByTestId('encryption-badge')).toHaveAttribute('data-state', 'none')

  // RGW does not implement GET ?encryption: the header says so instead of guessing.
  await expect(page.getByTestId('bucket-encryption')).toHaveText('Default encryption: unknown')
  await expect(page.getByTestId('bucket-encryption-reason')).toHaveText(
    /did not answer with an encryption configuration|cannot report default encryption/,
  )

  // Into a folder and back by the breadcrumbs.
  await folderRow('reports/').click()
  await expect(page.getByTestId('breadcrumbs')).toContainText('reports')
  await expect(folderRow('reports/2024/')).toBeVisible()
  await expect(row('reports/q1.csv')).toBeVisible()
  await expect(row('reports/q1.csv').getByTestId('encryption-badge')).toHaveAttribute('data-state', 'none')
  await page.getByTestId('breadcrumb').filter({ hasText: bucket }).click()
  await expect(row('kms-secret.txt').getByTestId('encryption-badge')).toHaveAttribute('data-state', 'sse-kms')

  // The filter narrows the listing.
  await page.getByTestId('object-filter').fill('secret')
  await expect(page.getByTestId('object-row')).toHaveCount(1)
  await expect(page.getByTestId('folder-row')).toHaveCount(0)
  await page.getByTestId('object-filter').fill('')
  await expect(page.getByTestId('object-row')).toHaveCount(2)
  await shot('browser')
})

test('upload by drag-and-drop with a KMS key typed by hand; the progress finishes and the bytes arrive', async () => {
  const view = page.getByTestId('browser-view')
  // The web UI streams the dropped file's own bytes to OBS Sync (the browser does not reveal its path).
  const dataTransfer = await fileTransfer(page, uploadName, uploadBytes)
  await view.dispatchEvent('dragenter', { dataTransfer })
  await view.dispatchEvent('dragover', { dataTransfer })
  await expect(page.getByTestId('drop-overlay')).toBeVisible()
  await expect(page.getByTestId('drop-overlay')).toContainText(`to ${bucket}/`)
  await shot('drop-overlay')
  await view.dispatchEvent('drop', { dataTransfer })
  await expect(page.getByTestId('drop-overlay')).toBeHidden()

  const dialog = page.getByTestId('upload-dialog')
  await expect(dialog).toBeVisible()
  // The dialog names the dropped file with its size; its bytes go to OBS Sync, which queues the upload.
  await expect(page.getByTestId('upload-web-files')).toContainText(`${uploadName} (3.0 MB)`)
  await page.getByTestId('upload-prefix').fill('uploads')

  await dialog.getByTestId('encryption-mode-sse-kms').check()
  // RGW has no key-listing API: the picker says so and takes a typed key id.
  await expect(dialog.getByTestId('kms-manual-only')).toBeVisible()
  await dialog.getByTestId('kms-manual-input').fill(CHOSEN_KEY)
  await dialog.getByTestId('kms-manual-add').click()
  const option = dialog.locator(`[data-testid="kms-key-option"][data-key-id="${CHOSEN_KEY}"]`)
  await expect(option).toBeVisible()
  await expect(option.locator('input[type="radio"]')).toBeChecked()
  await expect(page.getByTestId('upload-submit')).toHaveText('Upload 1 item')
  await shot('upload-dialog')

  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toContainText('1 upload queued.')
  await expect(page.getByTestId('upload-skipped')).toHaveCount(0)
  await page.getByTestId('upload-show-transfers').click()

  await expect(page.getByTestId('transfers-view')).toBeVisible()
  const transfer = page.getByTestId('transfer-row').filter({ hasText: `uploads/${uploadName}` })
  await expect(transfer).toHaveCount(1)
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(transfer.getByTestId('transfer-progress')).toHaveAttribute('aria-valuenow', '100')
  await expect(transfer).toContainText('100%')
  await expect(transfer).toContainText(`SSE-KMS with key ${CHOSEN_KEY} (chosen at upload)`)
  await expect(page.getByTestId('transfers-summary')).toContainText('0 failed')
  await shot('transfers')

  const head = await headObject(`uploads/${uploadName}`)
  expect(head.ServerSideEncryption).toBe('aws:kms')
  expect(head.SSEKMSKeyId).toBe(CHOSEN_KEY)
  expect(head.ContentLength).toBe(UPLOAD_SIZE)
  expect((await objectBytes(`uploads/${uploadName}`)).equals(uploadBytes)).toBe(true)
})

test('details of the encrypted upload: size, mode, key, the fixed-encryption note; sharing is refused', async () => {
  await browseBucketRoot()
  await folderRow('uploads/').click()
  const uploaded = row(`uploads/${uploadName}`)
  await expect(uploaded).toBeVisible()
  const badge = uploaded.getByTestId('encryption-badge')
  await expect(badge).toHaveAttribute('data-state', 'sse-kms', { timeout: 15_000 })
  await expect(badge).toContainText(CHOSEN_KEY)
  await uploaded.click()

  const details = page.getByTestId('object-details')
  await expect(details).toBeVisible()
  await expect(details.getByRole('heading', { name: uploadName })).toBeVisible()
  await expect(page.getByTestId('details-size')).toHaveText(
    /^3\.\d+ MB \(3[,. \u00a0\u202f]?145[,. \u00a0\u202f]?728 bytes\)$/,
  )
  await expect(page.getByTestId('details-encryption-mode')).toContainText('SSE-KMS')
  await expect(page.getByTestId('details-key')).toContainText(CHOSEN_KEY)
  await expect(page.getByTestId('details-encryption-note')).toContainText('cannot be changed')
  await expect(page.getByTestId('share-button')).toBeDisabled()
  await expect(page.getByTestId('share-reason')).toContainText('Encrypted objects cannot be shared by link')
  await shot('details', true)

  // The control: an object without encryption can be shared.
  await page.getByTestId('breadcrumb').filter({ hasText: bucket }).click()
  await row('plain-notes.txt').click()
  await expect(page.getByTestId('details-encryption-mode')).toHaveText('Not encrypted')
  await expect(page.getByTestId('share-button')).toBeEnabled()
  await expect(page.getByTestId('share-reason')).toHaveCount(0)
  await page.getByTestId('details-close').click()
  await expect(page.getByTestId('object-details')).toHaveCount(0)
})

test('watched folder: files in it, and a new local file, arrive in the bucket with the folder rule', async () => {
  const existing = 'existing.txt'
  const fresh = `fresh-${randomBytes(3).toString('hex')}.txt`
  await writeFile(join(watchDir, existing), 'was there before the folder was watched\n')

  await page.getByTestId('nav-folders').click()
  await expect(page.getByTestId('folders-view')).toBeVisible()
  await expect(page.getByTestId('folders-empty')).toBeVisible()
  await page.getByTestId('folder-add').click()
  const form = page.getByTestId('sync-form')
  await expect(form).toBeVisible()
  await page.getByTestId('sync-local-path').fill(watchDir)
  await page.getByTestId('sync-account').selectOption({ label: ACCOUNT })
  await page.getByTestId('sync-bucket').fill(bucket)
  await page.getByTestId('sync-prefix').fill('watched')
  await form.getByTestId('encryption-mode-sse-kms').check()
  // The key typed at the upload is remembered for the account.
  const option = form.locator(`[data-testid="kms-key-option"][data-key-id="${CHOSEN_KEY}"]`)
  await option.click()
  await expect(option.locator('input[type="radio"]')).toBeChecked()
  await page.getByTestId('sync-mode-upload-only').check()
  await shot('watched-folder-form')
  await page.getByTestId('sync-save').click()
  await expect(form).toHaveCount(0)

  const pairRow = page.getByTestId('sync-pair-row').filter({ hasText: watchDir })
  await expect(pairRow).toHaveCount(1)
  await expect(pairRow).toContainText(`${bucket}/watched/`)
  await expect(pairRow).toContainText(`SSE-KMS with key ${CHOSEN_KEY}`)

  // The first scan uploads what was already there.
  const first = await waitForObject(`watched/${existing}`)
  expect(first.SSEKMSKeyId).toBe(CHOSEN_KEY)
  await expect(pairRow).toHaveAttribute('data-state', 'idle', { timeout: 15_000 })

  // Then the watcher sees a new file once it has settled.
  const freshBytes = randomBytes(64 * 1024)
  await writeFile(join(watchDir, fresh), freshBytes)
  const head = await waitForObject(`watched/${fresh}`)
  expect(head.ServerSideEncryption).toBe('aws:kms')
  expect(head.SSEKMSKeyId).toBe(CHOSEN_KEY)
  expect((await objectBytes(`watched/${fresh}`)).equals(freshBytes)).toBe(true)

  await expect(pairRow).toHaveAttribute('data-state', 'idle', { timeout: 15_000 })
  await expect(pairRow.getByTestId('sync-pair-last-activity')).toHaveText('Last activity just now')
  await expect(pairRow.getByTestId('sync-pair-error')).toHaveCount(0)
  await shot('watched-folders')

  // Both uploads went through the queue with the folder's rule.
  await page.getByTestId('nav-transfers').click()
  for (const name of [existing, fresh]) {
    const transfer = page.getByTestId('transfer-row').filter({ hasText: `watched/${name}` })
    await expect(transfer).toHaveAttribute('data-state', 'done')
    await expect(transfer).toContainText(`SSE-KMS with key ${CHOSEN_KEY} (watched folder's rule)`)
  }

  // And the new file is in the browser's listing after a refresh, with its badge.
  await browseBucketRoot()
  await folderRow('watched/').click()
  await expect(row(`watched/${existing}`)).toBeVisible()
  await expect(row(`watched/${fresh}`)).toBeVisible()
  await expect(row(`watched/${fresh}`).getByTestId('encryption-badge')).toHaveAttribute(
    'data-state',
    'sse-kms',
    {
      timeout: 15_000,
    },
  )
  await expect(row(`watched/${fresh}`).getByTestId('encryption-badge')).toContainText(CHOSEN_KEY)
  await shot('browser-watched')
})

test('activity: the watched-folder scan is in the log; the status bar is calm', async () => {
  await page.getByTestId('nav-activity').click()
  await expect(page.getByTestId('activity-view')).toBeVisible()
  const entry = page.getByTestId('activity-entry').filter({ hasText: '1 file to upload after scanning' })
  await expect(entry).toHaveCount(1)
  await expect(entry).toContainText(watchDir)
  await expect(page.getByTestId('activity-entry').filter({ hasText: 'error' })).toHaveCount(0)
  await expect(page.getByTestId('status-state')).toHaveText('Idle')
  await expect(page.getByTestId('status-bar')).toContainText('1 watched folder')
  await shot('activity')
})

test('a doomed batch: 20 files with a KMS key the server lacks are one grouped problem, cancelled together', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-e2e-doomed-'))
  for (let i = 0; i < 20; i++) await writeFile(join(dir, `doomed-${i}.txt`), `file ${i}\n`)
  await browseBucketRoot()
  await page.getByTestId('upload-button').click()
  const dialog = page.getByTestId('upload-dialog')
  await expect(dialog).toBeVisible()
  await page.getByTestId('upload-paths').fill(dir)
  await page.getByTestId('upload-prefix').fill('doomed')
  await dialog.getByTestId('encryption-mode-sse-kms').check()
  await dialog.getByTestId('kms-manual-input').fill('nokey-9')
  await dialog.getByTestId('kms-manual-add').click()
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toContainText('20 uploads queued.')
  await page.getByTestId('upload-show-transfers').click()

  // One problem naming the cause, with one retry and one cancel for all 20; no row per file.
  const problem = page.getByTestId('transfer-problem')
  await expect(problem).toHaveCount(1, { timeout: 30_000 })
  await expect(problem.getByTestId('transfer-problem-title')).toHaveText(/^20 uploads failed: .*nokey-9/)
  await expect(problem.getByTestId('transfer-problem-retry')).toHaveText('Retry 20')
  await expect(page.getByTestId('transfer-row').filter({ hasText: 'doomed/doomed-' })).toHaveCount(0)
  // The status bar names the cause, not only a count.
  await expect(page.getByTestId('status-cause')).toContainText(/^KMS key problem \(20 uploads\): .*nokey-9/)
  await shot('transfers-grouped-problem')

  await problem.getByTestId('transfer-problem-cancel').click()
  await expect(problem).toHaveCount(0)
  await expect(page.getByTestId('status-state')).not.toHaveText(/error/i)
  // Nothing of the batch reached the bucket.
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'doomed/' }))
  expect(listed.KeyCount ?? 0).toBe(0)
  await rm(dir, { recursive: true, force: true })
})

test('the upload limit set in the Transfers view holds a real upload to it; emptied, the upload finishes at once', async () => {
  const name = `limited-${randomBytes(3).toString('hex')}.bin`
  const bytes = randomBytes(10 * 1024 * 1024)
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-e2e-limit-'))
  await writeFile(join(dir, name), bytes)
  await page.getByTestId('nav-transfers').click()
  const limit = page.getByTestId('transfers-bandwidth-limit')
  await expect(limit).toHaveValue('')
  await expect(limit).toHaveAttribute('placeholder', 'none')
  // What is no rate is refused at the field; the limit in force (none) stays.
  await limit.fill('fast')
  await limit.press('Enter')
  await expect(page.getByTestId('transfers-bandwidth-limit-error')).toHaveText(
    'Enter a rate such as 5 MB/s or 512 KB/s, or nothing for no limit.',
  )
  await limit.fill('1 MB/s')
  await limit.press('Enter')
  await expect(limit).toHaveValue('1 MB/s')
  await expect(page.getByTestId('transfers-bandwidth-limit-error')).toHaveCount(0)

  await browseBucketRoot()
  await page.getByTestId('upload-button').click()
  const dialog = page.getByTestId('upload-dialog')
  await page.getByTestId('upload-paths').fill(join(dir, name))
  await page.getByTestId('upload-prefix').fill('limited')
  await dialog.getByTestId('encryption-mode-sse-kms').check()
  await dialog.locator(`[data-testid="kms-key-option"][data-key-id="${CHOSEN_KEY}"] input`).check()
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toContainText('1 upload queued.')
  const queuedAt = Date.now()
  await page.getByTestId('upload-show-transfers').click()
  // 10 MiB at 1 MiB/s (after 1 s of burst) take ~9 s: two seconds in, it is still sending, at about the limit.
  const running = page.getByTestId('transfer-row').filter({ hasText: `limited/${name}` })
  await expect(running).toContainText('Uploading')
  await page.waitForTimeout(Math.max(0, 2000 - (Date.now() - queuedAt)))
  await expect(running).toContainText('Uploading')
  const rate = ((await running.getByTestId('transfer-rate').textContent()) ?? '')
    .trim()
    .match(/^([\d.]+) (KB|MB)\/s$/)
  expect(rate, 'a rate in KB/s or MB/s').not.toBeNull()
  if (rate?.[2] === 'MB') expect(Number(rate[1])).toBeLessThanOrEqual(2)
  // The status bar follows the same upload's speed (it kept the first moment's before), not more than the limit.
  await expect(page.getByTestId('status-bar')).toContainText(/1 upload running · (0\.[5-9]|1\.\d|2\.0) MB\/s/)
  await shot('transfers-upload-limit')
  const onServer = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `limited/${name}` }))
  expect(onServer.KeyCount ?? 0).toBe(0)
  // Emptied: no limit; the same upload goes on at full speed.
  await limit.fill('')
  await limit.press('Enter')
  await expect(limit).toHaveValue('')
  await expect(running).toContainText('Done', { timeout: 10_000 })
  expect(Date.now() - queuedAt).toBeLessThan(8000)
  const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `limited/${name}` }))
  expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(bytes)).toBe(true)
  await rm(dir, { recursive: true, force: true })
})

test('storage class at upload: a file sent to RGW’s COLD class shows it in the listing and the details', async () => {
  const name = `archive-${randomBytes(3).toString('hex')}.tar`
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-e2e-class-'))
  await writeFile(join(dir, name), randomBytes(4096))
  await browseBucketRoot()
  await page.getByTestId('upload-button').click()
  const dialog = page.getByTestId('upload-dialog')
  await page.getByTestId('upload-paths').fill(join(dir, name))
  await page.getByTestId('upload-prefix').fill('classes')
  await dialog.getByTestId('encryption-mode-sse-kms').check()
  await dialog.locator(`[data-testid="kms-key-option"][data-key-id="${CHOSEN_KEY}"] input`).check()
  // Ceph RGW's classes are named by its administrator: the picker takes a typed name.
  await dialog.getByTestId('storage-class-select').selectOption({ label: 'Other class name…' })
  await dialog.getByTestId('storage-class-name').fill('COLD')
  await shot('upload-dialog-storage-class')
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toContainText('1 upload queued.')
  await page.getByTestId('upload-done').click()
  await waitForObject(`classes/${name}`)

  await browseBucketRoot()
  await folderRow('classes/').click()
  const listed = row(`classes/${name}`)
  await expect(listed.getByTestId('storage-class-badge')).toHaveText('COLD', { timeout: 15_000 })
  await listed.click()
  await expect(page.getByTestId('details-storage-class')).toHaveText('COLD')
  await shot('details-storage-class')
  const head = await headObject(`classes/${name}`)
  expect(head.StorageClass).toBe('COLD')
  expect(head.SSEKMSKeyId).toBe(CHOSEN_KEY)
  await rm(dir, { recursive: true, force: true })
})

test('watched folder deleted: its row says "Folder missing", the status bar names it, nothing is deleted; put back: syncing again', async () => {
  const keys = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'watched/' }))).Contents ?? [])
      .map((o) => o.Key)
      .sort()
  await page.getByTestId('nav-folders').click()
  const pairRow = page.getByTestId('sync-pair-row').filter({ hasText: watchDir })
  await expect(pairRow).toHaveAttribute('data-state', 'idle', { timeout: 15_000 })
  const before = await keys()
  expect(before.length).toBe(2)
  const backup = `${watchDir}-backup`
  await cp(watchDir, backup, { recursive: true, preserveTimestamps: true })
  await rm(watchDir, { recursive: true })

  await expect(pairRow).toHaveAttribute('data-state', 'missing', { timeout: 15_000 })
  const badge = pairRow.getByTestId('sync-pair-state')
  await expect(badge).toHaveText('Folder missing')
  await expect(badge).toBeVisible()
  await expect(pairRow.getByTestId('sync-pair-error')).toContainText(
    `The watched folder ${watchDir} is missing`,
  )
  // Nothing is pending while the folder is gone, and the reason is said once.
  await expect(pairRow).not.toContainText('pending')
  await expect(pairRow.getByTestId('sync-pair-error')).toContainText('until it is back. Put the folder back')
  await expect(page.getByTestId('status-state')).toHaveText('Attention needed')
  await expect(page.getByTestId('status-cause')).toHaveText(
    `Folder missing: The watched folder ${watchDir} is missing (deleted, renamed or its disk unmounted). Nothing is uploaded or deleted remotely until it is back.`,
  )
  await shot('watched-folder-missing')
  // The badge sits on the row's first line, beside the path, not pushed out of the card.
  const [rowBox, badgeBox] = [await pairRow.boundingBox(), await badge.boundingBox()]
  expect(badgeBox!.x + badgeBox!.width).toBeLessThanOrEqual(rowBox!.x + rowBox!.width)
  expect(badgeBox!.y - rowBox!.y).toBeLessThan(40)
  // The status bar's cause opens the watched folders.
  await page.getByTestId('nav-transfers').click()
  await page.getByTestId('status-cause').click()
  await expect(page.getByTestId('folders-view')).toBeVisible()
  expect(await keys()).toEqual(before)

  // Put back whole, as a restore from a backup does.
  await rename(backup, watchDir)
  await expect(pairRow).toHaveAttribute('data-state', 'idle', { timeout: 15_000 })
  await expect(page.getByTestId('status-bar')).not.toContainText('Folder missing')
  expect(await keys()).toEqual(before)
})
