import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { type BrowserContext, expect, type Page, test } from '@playwright/test'
import { rgwAccountAddArgs, runCli } from '../support/cli'
import { fileTransfer } from '../support/drop-files'
import { checkPageAndCloseAfterAll, openPage } from '../support/e2e-page'
import { type HeadlessApp, startHeadlessApp } from '../support/headless-app'
import { freshBucket, independentClient } from '../support/s3'
import type { TestServices } from '../support/services'

/**
 * Downloads and drops in the web UI (issue 19), against its own headless app (own data folder, an account added
 * with the CLI, the folder picker rooted in a folder of this test): a folder of 200 objects downloaded with
 * progress, a file dropped into the browser window arriving encrypted, and the folder picker adding a watched
 * folder. Results are checked with the plain SDK and on disk.
 */
test.describe.configure({ mode: 'serial' })

const services = JSON.parse(process.env.OBS_SYNC_E2E_SERVICES!) as TestServices
const rgw = services.rgw
const shots = 'test-results/screenshots'
const COUNT = 200
const KEY = 'testkey-2'

let app: HeadlessApp
let context: BrowserContext
let page: Page
const s3 = independentClient(rgw)
let bucket: string
let root: string
const bodies = new Map<string, Buffer>()
const errors: string[] = []

test.beforeAll(async ({ browser }) => {
  bucket = await freshBucket(rgw, 'e2e-dl')
  for (let i = 0; i < COUNT; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) => {
        const key = `many/${String(i + j).padStart(3, '0')}.bin`
        const body = randomBytes(40_000 + (i + j) * 97)
        bodies.set(key, body)
        const sse = (i + j) % 2 ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: 'testkey-1' } : {}
        return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...sse }))
      }),
    )
  }
  const base = await mkdtemp(join(services.runDir, 'dl-e2e-'))
  root = join(base, 'home')
  await mkdir(join(root, 'Downloads'), { recursive: true })
  await mkdir(join(root, 'Projects/notes'), { recursive: true })
  const dataDir = join(base, 'data')
  // The account's secret goes to the run's private keychain, as in the other tiers.
  const added = await runCli(
    ['--data-dir', dataDir, ...rgwAccountAddArgs(rgw, 'RGW')],
    { ...services.keyring },
    rgw.secretAccessKey,
  )
  expect(added.code, added.stderr).toBe(0)
  app = await startHeadlessApp(dataDir, { ...services.keyring, OBS_SYNC_BROWSE_ROOT: root })
  ;({ context, page } = await openPage(browser, errors, { acceptDownloads: true }))
  await page.goto(app.openUrl)
})

checkPageAndCloseAfterAll(errors, () => ({ context, app }))

test('a folder of 200 objects downloads into a folder picked on the server, with progress', async () => {
  test.setTimeout(180_000)
  await page.getByTestId('bucket-item').filter({ hasText: bucket }).click()
  await page.locator('[data-testid="folder-row"][data-key="many/"]').click()
  await expect(page.getByTestId('breadcrumbs')).toContainText('many')
  await page.getByTestId('download-folder-button').click()
  const dialog = page.getByTestId('download-dialog')
  await expect(dialog).toBeVisible()
  await page.getByTestId('download-dir-browse').click()
  const picker = page.getByTestId('folder-picker')
  await expect(picker).toBeVisible()
  await expect(page.getByTestId('folder-picker-path')).toHaveText(root)
  await picker.getByTestId('folder-picker-entry').filter({ hasText: 'Downloads' }).click()
  await expect(page.getByTestId('folder-picker-path')).toHaveText(join(root, 'Downloads'))
  await page.getByTestId('folder-picker-choose').click()
  await expect(page.getByTestId('download-dir')).toHaveValue(join(root, 'Downloads'))
  await page.screenshot({ path: `${shots}/download-dialog.png` })
  await page.getByTestId('download-start').click()

  const batch = page.getByTestId('download-batch').first()
  await expect(batch).toBeVisible()
  await expect(batch.getByTestId('download-counts')).toContainText(/of 200 files/, { timeout: 15_000 })
  await page.screenshot({ path: `${shots}/download-progress.png` })
  await expect(batch).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(batch.getByTestId('download-counts')).toContainText('200 of 200 files')
  await expect(batch.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100')
  await page.screenshot({ path: `${shots}/download-done.png` })

  const saved = await readdir(join(root, 'Downloads/many'))
  expect(saved).toHaveLength(COUNT)
  for (const [key, body] of bodies) {
    expect((await readFile(join(root, 'Downloads', key))).equals(body), key).toBe(true)
  }

  // The same folder again: one question for all 200 existing files; "skip" leaves them as they are.
  await page.getByTestId('nav-browser').click()
  await page.getByTestId('download-folder-button').click()
  await expect(page.getByTestId('download-dir')).toHaveValue(join(root, 'Downloads'))
  await page.getByTestId('download-start').click()
  const again = page.getByTestId('download-batch').first()
  await expect(again.getByTestId('download-clash')).toContainText('200 files already exist', {
    timeout: 15_000,
  })
  await page.screenshot({ path: `${shots}/download-clash.png` })
  await again.getByTestId('download-clash-skip').click()
  await expect(again).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(again.getByTestId('download-counts')).toContainText('200 skipped')
})

test('one object saved by the browser itself, streamed by the local server', async () => {
  await page.getByTestId('nav-browser').click()
  await page.locator('[data-testid="object-row"][data-key="many/001.bin"]').click()
  const downloadEvent = page.waitForEvent('download')
  await page.getByTestId('save-to-browser').click()
  const download = await downloadEvent
  expect(download.suggestedFilename()).toBe('001.bin')
  const path = await download.path()
  expect((await readFile(path)).equals(bodies.get('many/001.bin') as Buffer)).toBe(true)
})

test('a multi-selection (objects and a folder) goes to the download queue from the context menu and the toolbar', async () => {
  const picked = join(root, 'Downloads/picked')
  await mkdir(picked, { recursive: true })
  await page.getByTestId('nav-browser').click()
  await page.locator('[data-testid="object-row"][data-key="many/003.bin"]').click()
  await page.locator('[data-testid="object-row"][data-key="many/004.bin"]').click({ modifiers: ['Control'] })
  await expect(page.getByTestId('selection-count')).toHaveText('2 items selected')
  await page.locator('[data-testid="object-row"][data-key="many/004.bin"]').click({ button: 'right' })
  await page.getByTestId('menu-download').click()
  const dialog = page.getByTestId('download-dialog')
  await expect(dialog).toContainText('Download 2 items')
  await page.getByTestId('download-dir').fill(picked)
  await page.screenshot({ path: `${shots}/download-selection-dialog.png` })
  await page.getByTestId('download-start').click()
  const batch = page.getByTestId('download-batch').first()
  await expect(batch).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(batch.getByTestId('download-counts')).toContainText('2 of 2 files')
  expect((await readdir(picked)).sort()).toEqual(['003.bin', '004.bin'])
  for (const name of ['003.bin', '004.bin']) {
    expect((await readFile(join(picked, name))).equals(bodies.get(`many/${name}`) as Buffer), name).toBe(true)
  }

  // A folder ticked at the bucket's root: the toolbar's Download takes it with everything in it.
  await page.getByTestId('nav-browser').click()
  await page.getByTestId('breadcrumb').filter({ hasText: bucket }).click()
  await page.locator('[data-testid="folder-row"][data-key="many/"]').click({ modifiers: ['Control'] })
  await expect(page.getByTestId('selection-count')).toHaveText('1 item selected')
  await page.getByTestId('selection-download').click()
  await expect(dialog).toContainText('Download many/')
  const folderTarget = join(root, 'Downloads/folder')
  await mkdir(folderTarget, { recursive: true })
  await page.getByTestId('download-dir').fill(folderTarget)
  await page.getByTestId('download-start').click()
  await expect(batch).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(batch.getByTestId('download-counts')).toContainText('200 of 200 files')
  expect(await readdir(join(folderTarget, 'many'))).toHaveLength(COUNT)
  // Back into the folder, where the next test starts.
  await page.getByTestId('nav-browser').click()
  await page.locator('[data-testid="folder-row"][data-key="many/"]').click()
  await expect(page.getByTestId('breadcrumbs')).toContainText('many')
})

test('a file dropped into the browser window is streamed to OBS Sync and arrives encrypted with the chosen key', async () => {
  const name = `dropped-${randomBytes(3).toString('hex')}.bin`
  const bytes = randomBytes(2 * 1024 * 1024 + 123)
  await page.getByTestId('nav-browser').click()
  await page.getByTestId('breadcrumb').filter({ hasText: bucket }).click()
  const view = page.getByTestId('browser-view')
  const dataTransfer = await fileTransfer(page, name, bytes)
  await view.dispatchEvent('dragenter', { dataTransfer })
  await view.dispatchEvent('dragover', { dataTransfer })
  await view.dispatchEvent('drop', { dataTransfer })
  const dialog = page.getByTestId('upload-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('upload-web-files')).toContainText(`${name} (2.0 MB)`)
  await page.getByTestId('upload-prefix').fill('dropped')
  await dialog.getByTestId('encryption-mode-sse-kms').check()
  await dialog.getByTestId('kms-manual-input').fill(KEY)
  await dialog.getByTestId('kms-manual-add').click()
  await expect(
    dialog.locator(`[data-testid="kms-key-option"][data-key-id="${KEY}"] input[type="radio"]`),
  ).toBeChecked()
  await page.screenshot({ path: `${shots}/drop-dialog.png` })
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toContainText('1 upload queued.')
  await page.getByTestId('upload-show-transfers').click()
  const transfer = page.getByTestId('transfer-row').filter({ hasText: `dropped/${name}` })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await page.screenshot({ path: `${shots}/drop-uploaded.png` })

  // An independent client sees the object encrypted with the chosen key, and the same bytes.
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `dropped/${name}` }))
  expect(head.ServerSideEncryption).toBe('aws:kms')
  expect(head.SSEKMSKeyId).toBe(KEY)
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `dropped/${name}` }))
  expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true)
  // The staged copy in the data folder is gone once the upload is done.
  await expect.poll(async () => readdir(join(app.dataDir, 'drops')), { timeout: 10_000 }).toEqual([])

  // The same file dropped again: one question for the existing object; "Keep both" sends it under a new name.
  async function dropAgain(): Promise<void> {
    await page.getByTestId('nav-browser').click()
    const again = await fileTransfer(page, name, bytes)
    await view.dispatchEvent('dragenter', { dataTransfer: again })
    await view.dispatchEvent('drop', { dataTransfer: again })
    await expect(dialog).toBeVisible()
    await page.getByTestId('upload-prefix').fill('dropped')
  }
  await dropAgain()
  await expect(page.getByTestId('upload-on-exists')).toHaveValue('ask')
  await page.getByTestId('upload-submit').click()
  const question = page.getByTestId('upload-clash')
  await expect(question).toContainText(`1 object of the same name already exists (dropped/${name})`)
  await expect(page.getByTestId('upload-queued')).toHaveCount(0) // the question alone, not '0 uploads queued'
  await page.screenshot({ path: `${shots}/drop-clash-question.png` })
  await page.getByTestId('upload-clash-rename').click()
  await expect(page.getByTestId('upload-result')).toContainText('1 upload queued.')
  await expect(question).toHaveCount(0)
  const renamed = `dropped/${name.replace('.bin', ' (1).bin')}`
  await page.getByTestId('upload-show-transfers').click()
  await expect(page.getByTestId('transfer-row').filter({ hasText: renamed })).toHaveAttribute(
    'data-state',
    'done',
    {
      timeout: 30_000,
    },
  )
  const copy = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: renamed }))
  expect(Buffer.from(await copy.Body!.transformToByteArray()).equals(bytes)).toBe(true)

  // "Compare" chosen (and remembered): the same content is already there, nothing is sent, the staged copy goes.
  await dropAgain()
  await page.getByTestId('upload-on-exists').selectOption('compare')
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-kept')).toContainText(
    `dropped/${name}: the same content is already there`,
  )
  await page.screenshot({ path: `${shots}/drop-kept.png` })
  await page.getByTestId('upload-done').click()
  await expect.poll(async () => readdir(join(app.dataDir, 'drops')), { timeout: 10_000 }).toEqual([])
  await dropAgain()
  await expect(page.getByTestId('upload-on-exists')).toHaveValue('compare')
  await page.getByTestId('upload-cancel').click()
})

test('the folder picker adds a watched folder, and never shows folders outside its root', async () => {
  await page.getByTestId('nav-folders').click()
  await page.getByTestId('folder-add').click()
  const form = page.getByTestId('sync-form')
  await expect(form).toBeVisible()
  // A typed folder outside the root is not shown: the picker starts at its root instead.
  await page.getByTestId('sync-local-path').fill('/etc')
  await page.getByTestId('sync-local-browse').click()
  const picker = page.getByTestId('folder-picker')
  await expect(page.getByTestId('folder-picker-path')).toHaveText(root)
  await expect(picker.getByTestId('folder-picker-up')).toHaveCount(0)
  await picker.getByTestId('folder-picker-entry').filter({ hasText: 'Projects' }).click()
  await picker.getByTestId('folder-picker-entry').filter({ hasText: 'notes' }).click()
  await page.screenshot({ path: `${shots}/folder-picker.png` })
  await page.getByTestId('folder-picker-choose').click()
  const watched = join(root, 'Projects/notes')
  await expect(page.getByTestId('sync-local-path')).toHaveValue(watched)
  await page.getByTestId('sync-bucket').fill(bucket)
  await page.getByTestId('sync-prefix').fill('notes')
  await page.getByTestId('sync-mode-upload-only').check()
  await page.getByTestId('sync-save').click()
  await expect(form).toHaveCount(0)
  await expect(page.getByTestId('sync-pair-row').filter({ hasText: watched })).toHaveCount(1)
  await page.screenshot({ path: `${shots}/folder-picker-watched.png` })
  await rm(join(root, 'Downloads'), { recursive: true, force: true })
})
