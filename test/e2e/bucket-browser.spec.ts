import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import {
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3'
import { type BrowserContext, expect, type Page, test } from '@playwright/test'
import { checkPageAndCloseAfterAll, openPage } from '../support/e2e-page'
import { screenshotDir, secondRgwUser, startAppWithSecondUser } from '../support/e2e-services'
import type { HeadlessApp } from '../support/headless-app'
import { freshBucket, independentClient } from '../support/s3'

/**
 * The bucket browser's flows through the UI of its own headless app (a data folder and the RGW's second user of
 * this file only, so the other spec's first-run flow and bucket count are untouched): create a bucket (name rules
 * as typed), a bucket default that RGW cannot take (the bucket survives), a folder, sorting, multi-select with
 * mouse and keyboard, the context menu, and a delete in a versioned bucket. Results are read back with the SDK.
 */
test.describe.configure({ mode: 'serial' })

let app: HeadlessApp
let dataDir: string
let context: BrowserContext
let page: Page
const s3 = independentClient(secondRgwUser)
let bucket: string
const newBucket = `e2e-new-${randomBytes(4).toString('hex')}`
const errors: string[] = []

const row = (key: string) => page.locator(`[data-testid="object-row"][data-key="${key}"]`)
const folderRow = (prefix: string) => page.locator(`[data-testid="folder-row"][data-key="${prefix}"]`)
const objectKeys = async () =>
  page.getByTestId('object-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))

async function put(key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))
}

async function exists(name: string): Promise<boolean> {
  return s3.send(new HeadBucketCommand({ Bucket: name })).then(
    () => true,
    (e) => {
      if (e.$metadata?.httpStatusCode === 404) return false
      throw e
    },
  )
}

test.beforeAll(async ({ browser }) => {
  bucket = await freshBucket(secondRgwUser, 'e2eb')
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  )
  await put('small.txt', 'x'.repeat(10))
  await put('large.txt', 'x'.repeat(3000))
  await put('medium.txt', 'x'.repeat(300))
  for (const n of [1, 2, 3]) await put(`photos/p${n}.jpg`, `photo ${n}`)
  const many = Array.from({ length: 1100 }, (_, i) => `many/m${String(i).padStart(4, '0')}.txt`)
  for (let i = 0; i < many.length; i += 50) await Promise.all(many.slice(i, i + 50).map((k) => put(k, k)))

  ;({ app, dataDir } = await startAppWithSecondUser('Other', 'obs-sync-e2e-browser-'))
  ;({ context, page } = await openPage(browser, errors))
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin })
  await page.goto(app.openUrl)
  await expect(page.getByTestId('bucket-list')).toBeVisible({ timeout: 20_000 })
})

checkPageAndCloseAfterAll(
  errors,
  () => ({ context, app }),
  async () => dataDir && rm(dataDir, { recursive: true, force: true }),
)

test('new bucket: the name is checked as typed, nothing is sent for a bad one; a good one is created and opened', async () => {
  await page.getByTestId('new-bucket-button').click()
  await page.getByTestId('new-bucket-name').fill('My_Bucket')
  await page.getByTestId('new-bucket-create').click()
  await expect(page.getByTestId('new-bucket-rule')).toContainText('only lowercase letters')
  await expect(page.getByTestId('new-bucket-region')).toContainText(`Region: ${secondRgwUser.region}`)
  await expect(page.getByTestId('new-bucket-no-default')).toContainText('not supported by this server')
  await page.screenshot({ path: `${screenshotDir}/browser-new-bucket-bad-name.png` })
  expect(await exists('my-bucket')).toBe(false)

  await page.getByTestId('new-bucket-name').fill(newBucket)
  await page.getByTestId('new-bucket-create').click()
  await expect(page.getByTestId('new-bucket-dialog')).toHaveCount(0)
  await expect(page.getByTestId('breadcrumbs')).toContainText(newBucket)
  await expect(page.getByTestId('listing-empty')).toBeVisible()
  expect(await exists(newBucket)).toBe(true)
})

test('bucket default encryption on RGW: "not supported by this server", and the empty bucket still exists', async () => {
  await page.getByTestId('bucket-encryption-change').click()
  const dialog = page.getByTestId('bucket-encryption-dialog')
  await expect(dialog.getByTestId('bucket-encryption-unsupported')).toContainText(
    'not supported by this server',
  )
  await expect(dialog.getByTestId('bucket-encryption-remove')).toHaveCount(0)
  await page.screenshot({ path: `${screenshotDir}/browser-bucket-encryption-unsupported.png` })
  await dialog.getByTestId('dialog-close').click()
  expect(await exists(newBucket)).toBe(true)
})

test('new folder: a zero-byte "name/" object, shown as a folder', async () => {
  await page.getByTestId('new-folder-button').click()
  await page.getByTestId('new-folder-name').fill('docs')
  await page.getByTestId('new-folder-create').click()
  await expect(folderRow('docs/')).toBeVisible()
  const head = await s3.send(new HeadObjectCommand({ Bucket: newBucket, Key: 'docs/' }))
  expect(head.ContentLength).toBe(0)
  await page.getByTestId('new-folder-button').click()
  await page.getByTestId('new-folder-name').fill('docs')
  await page.getByTestId('new-folder-create').click()
  await expect(page.getByTestId('new-folder-error')).toContainText('already exists')
  await page.screenshot({ path: `${screenshotDir}/browser-new-folder-exists.png` })
  await page.getByTestId('dialog-close').click()
})

test('sort by size both ways with folders first; click, shift-click, ctrl-click, keyboard and ctrl-A select', async () => {
  await page.getByTestId('breadcrumb').filter({ hasText: 'Buckets' }).click()
  await page.getByTestId('bucket-item').filter({ hasText: bucket }).click()
  await expect(row('small.txt')).toBeVisible()
  await page.getByTestId('sort-size').click()
  expect(await objectKeys()).toEqual(['small.txt', 'medium.txt', 'large.txt'])
  await page.getByTestId('sort-size').click()
  expect(await objectKeys()).toEqual(['large.txt', 'medium.txt', 'small.txt'])
  const firstRows = await page
    .locator('[role="row"] .cells')
    .evaluateAll((r) => r.slice(0, 2).map((x) => x.getAttribute('data-key')))
  expect(firstRows).toEqual(['many/', 'photos/'])

  await row('large.txt').click()
  await row('small.txt').click({ modifiers: ['Shift'] })
  await expect(page.getByTestId('selection-count')).toHaveText('3 items selected')
  await folderRow('photos/').click({ modifiers: ['Control'] })
  await expect(page.getByTestId('selection-count')).toHaveText('4 items selected')
  await row('medium.txt').click({ modifiers: ['Control'] })
  await expect(page.getByTestId('selection-count')).toHaveText('3 items selected')
  await page.screenshot({ path: `${screenshotDir}/browser-multi-select.png` })

  await page.keyboard.press('Escape')
  await expect(page.getByTestId('selection-bar')).toHaveCount(0)
  await page.locator('[role="row"]').first().focus()
  await page.keyboard.press('Space')
  await page.keyboard.press('Shift+ArrowDown')
  await expect(page.getByTestId('selection-count')).toHaveText('2 items selected')
  await page.keyboard.press('Control+a')
  await expect(page.getByTestId('selection-count')).toHaveText('5 items selected')
  await page.keyboard.press('Escape')
})

test('a partial listing sorted by date says so and loads every page on request', async () => {
  await folderRow('many/').click()
  await expect(page.getByTestId('listing-footer')).toContainText('1,000 items loaded')
  await page.getByTestId('sort-modified').click()
  await expect(page.getByTestId('sort-partial')).toContainText('Sorted among the 1,000 items loaded so far')
  await page.screenshot({ path: `${screenshotDir}/browser-sort-partial.png` })
  await page.getByTestId('sort-load-all').click()
  await expect(page.getByTestId('sort-partial')).toHaveCount(0, { timeout: 30_000 })
  await expect(page.getByTestId('listing-footer')).toContainText('1,100 items')
  await page.getByTestId('breadcrumb').filter({ hasText: bucket }).click()
})

test('context menu: copy keys, then delete an object and a folder in a versioned bucket (delete markers)', async () => {
  await expect(row('medium.txt')).toBeVisible()
  await row('medium.txt').click()
  await folderRow('photos/').click({ modifiers: ['Control'] })
  await row('medium.txt').click({ button: 'right' })
  await expect(page.getByTestId('context-menu')).toBeVisible()
  await page.screenshot({ path: `${screenshotDir}/browser-context-menu.png` })
  await page.getByTestId('menu-copy').click()
  expect((await page.evaluate(() => navigator.clipboard.readText())).split('\n').sort()).toEqual([
    'medium.txt',
    'photos/',
  ])

  await row('medium.txt').click({ button: 'right' })
  await page.getByTestId('menu-delete').click()
  await expect(page.getByTestId('delete-question')).toHaveText(
    `Delete 1 object and the folder photos/ (3 objects) from "${bucket}"?`,
  )
  await expect(page.getByTestId('delete-versioning')).toContainText(
    'a delete marker is written for each object',
  )
  await page.screenshot({ path: `${screenshotDir}/browser-delete-confirm.png` })
  await page.getByTestId('delete-confirm').click()
  await expect(page.getByTestId('delete-result')).toContainText('Deleted 4 objects.')
  await expect(page.getByTestId('delete-result')).toContainText('4 delete markers written')
  await page.screenshot({ path: `${screenshotDir}/browser-delete-result.png` })
  await page.getByTestId('delete-done').click()
  await expect(row('medium.txt')).toHaveCount(0)
  await expect(folderRow('photos/')).toHaveCount(0)

  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }))
  expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(['large.txt', 'small.txt'])
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'photos/' }))
  expect(versions.DeleteMarkers?.length).toBe(3)
  expect(versions.Versions?.length).toBe(3)
})
