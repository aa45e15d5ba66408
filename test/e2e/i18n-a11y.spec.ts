import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import AxeBuilder from '@axe-core/playwright'
import { type Browser, expect, type Page, test } from '@playwright/test'
import { screenshotDir, secondRgwUser, startAppWithSecondUser } from '../support/e2e-services'
import type { HeadlessApp } from '../support/headless-app'
import { freshBucket, independentClient } from '../support/s3'

/**
 * The UI in Chinese and German, audited: each main view and dialog in zh-CN and de (screenshots, and no
 * button or label whose text is cut off), axe on every main view and dialog in light and dark with zero serious
 * or critical violations, the keyboard flow of the browser (opening a folder focuses the list; Backspace and
 * Alt+Up go up; a closed dialog gives focus back) and the live region that announces a finished upload. Its own
 * data folder, account (the RGW's second user) and bucket; nothing global is counted.
 */
test.describe.configure({ mode: 'serial' })

let app: HeadlessApp
let dataDir: string
let bucket: string

test.beforeAll(async () => {
  const s3 = independentClient(secondRgwUser)
  bucket = await freshBucket(secondRgwUser, 'e2ei')
  for (const key of ['readme.txt', 'photos/a.jpg', 'photos/b.jpg', 'photos/2026/c.jpg']) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `content of ${key}` }))
  }
  ;({ app, dataDir } = await startAppWithSecondUser('Lab', 'obs-sync-e2e-i18n-'))
})

test.afterAll(async () => {
  await app?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

/** A page in the given browser language (navigator.languages and Accept-Language), errors collected. */
async function open(browser: Browser, locale: string, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  await page.goto(app.openUrl)
  await expect(page.getByTestId('bucket-list')).toBeVisible({ timeout: 20_000 })
  return { context, page, errors }
}

async function openBucket(page: Page): Promise<void> {
  await page.getByTestId('bucket-item').filter({ hasText: bucket }).click()
  await expect(page.locator(`[data-testid="folder-row"][data-key="photos/"]`)).toBeVisible()
}

/** Buttons, labels, headings and badges whose text does not fit their box (cut off or spilling). */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const selector = 'button, .btn, label, h1, h2, h3, h4, .badge, legend, th, .crumb, dt, option'
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      if (!el.offsetParent || el.closest('.visually-hidden')) continue
      const style = getComputedStyle(el)
      const clips = style.overflow !== 'visible' || style.textOverflow === 'ellipsis'
      if (clips && el.scrollWidth > el.clientWidth + 1 && style.whiteSpace === 'nowrap') {
        found.push(`${el.tagName.toLowerCase()}.${el.className}: "${el.textContent?.trim()}"`)
      }
    }
    // Nothing may push the page sideways.
    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push('the page scrolls sideways')
    return found
  })
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

async function closeDialog(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).getByTestId('dialog-close').click()
  await expect(page.getByTestId(testId)).toHaveCount(0)
}

/** Visits every main view and every dialog, running `check` on each with its name. */
async function visitAll(page: Page, check: (name: string) => Promise<void>): Promise<void> {
  await check('buckets')
  await openBucket(page)
  await page.locator(`[data-testid="object-row"][data-key="readme.txt"]`).click()
  await expect(page.getByTestId('object-details')).toBeVisible()
  await check('browser-details')
  // The clicked row is selected: its delete question (nothing is deleted: the dialog is closed unanswered).
  await page.getByTestId('selection-delete').click()
  await expect(page.getByTestId('delete-question')).toBeVisible()
  await check('delete-dialog')
  await closeDialog(page, 'delete-dialog')
  await page.getByTestId('bucket-encryption-change').click()
  await expect(page.getByTestId('bucket-encryption-dialog')).toBeVisible()
  await check('bucket-encryption-dialog')
  await closeDialog(page, 'bucket-encryption-dialog')
  await page.getByTestId('upload-button').click()
  await expect(page.getByTestId('upload-dialog')).toBeVisible()
  await check('upload-dialog')
  await page.getByTestId('upload-cancel').click()
  await page.getByTestId('new-folder-button').click()
  await expect(page.getByTestId('new-folder-dialog')).toBeVisible()
  await check('new-folder-dialog')
  await page.getByTestId('dialog-close').click()
  await page.getByTestId('breadcrumb').first().click()
  await page.getByTestId('new-bucket-button').click()
  await expect(page.getByTestId('new-bucket-dialog')).toBeVisible()
  // With a name the provider refuses: the rule it breaks is shown (nothing is sent).
  await page.getByTestId('new-bucket-name').fill('My_Bucket')
  await page.getByTestId('new-bucket-create').click()
  await expect(page.getByTestId('new-bucket-rule')).toBeVisible()
  await check('new-bucket-dialog')
  await closeDialog(page, 'new-bucket-dialog')
  await page.getByTestId('nav-transfers').click()
  await check('transfers')
  await page.getByTestId('nav-folders').click()
  await check('folders')
  await page.getByTestId('folder-add').click()
  await expect(page.getByTestId('sync-form')).toBeVisible()
  await check('watch-folder-dialog')
  await page.getByTestId('dialog-close').click()
  await page.getByTestId('nav-activity').click()
  await check('activity')
  await page.getByTestId('account-settings').first().click()
  await expect(page.getByTestId('account-form')).toBeVisible()
  await check('account-form')
}

for (const [locale, words] of [
  ['zh-CN', { transfers: '传输', folders: '监视的文件夹', language: '语言' }],
  ['de', { transfers: 'Übertragungen', folders: 'Überwachte Ordner', language: 'Sprache' }],
] as const) {
  test(`${locale}: the system language is used; every main view and dialog fits (screenshots)`, async ({
    browser,
  }) => {
    const { context, page, errors } = await open(browser, locale)
    await expect(page.locator('html')).toHaveAttribute('lang', locale)
    await expect(page.getByTestId('nav-transfers')).toContainText(words.transfers)
    await expect(page.getByTestId('nav-folders')).toContainText(words.folders)
    await expect(page.getByText(words.language, { exact: true })).toBeVisible()
    const problems: string[] = []
    await visitAll(page, async (name) => {
      await page.screenshot({ path: `${screenshotDir}/${locale}-${name}.png` })
      problems.push(...(await cutOff(page)).map((p) => `${name}: ${p}`))
    })
    expect(problems).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })
}

test('the language chosen in the sidebar wins over the system and is remembered', async ({ browser }) => {
  const { context, page } = await open(browser, 'de-DE')
  await expect(page.getByTestId('nav-transfers')).toContainText('Übertragungen')
  await page.getByTestId('language-select').selectOption('zh-CN')
  await expect(page.getByTestId('nav-transfers')).toContainText('传输')
  await page.reload()
  await expect(page.getByTestId('nav-transfers')).toContainText('传输')
  await page.getByTestId('language-select').selectOption('system')
  await expect(page.getByTestId('nav-transfers')).toContainText('Übertragungen')
  await context.close()
})

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical violation on any main view or dialog (${scheme})`, async ({
    browser,
  }) => {
    // axe reads every node's styles: ~10 s a view on this project's 2 cores.
    test.setTimeout(300_000)
    const { context, page } = await open(browser, 'en-US', scheme)
    const found: string[] = []
    await visitAll(page, async (name) => {
      found.push(...(await seriousViolations(page)).map((v) => `${name}: ${v}`))
    })
    expect(found).toEqual([])
    // The audit can fail: a button without a name is a serious violation it must report.
    await page.evaluate(() =>
      document.body.append(Object.assign(document.createElement('button'), { id: 'axe-probe' })),
    )
    expect((await seriousViolations(page)).join('\n')).toContain('button-name')
    await context.close()
  })
}

test('keyboard: opening a folder focuses the list; Backspace and Alt+Up go up; a closed dialog gives focus back', async ({
  browser,
}) => {
  const { context, page, errors } = await open(browser, 'en-US')
  await openBucket(page)
  const focusedKey = () =>
    page.evaluate(() => document.activeElement?.querySelector('[data-key]')?.getAttribute('data-key'))
  // The bucket's listing has focus on its first row: arrows go on from there.
  await expect.poll(focusedKey).toBe('photos/')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('breadcrumbs')).toContainText('photos')
  await expect.poll(focusedKey).toBe('photos/2026/')
  await page.keyboard.press('Enter')
  await expect.poll(focusedKey).toBe('photos/2026/c.jpg')
  await page.keyboard.press('Backspace')
  await expect.poll(focusedKey).toBe('photos/2026/')
  await page.keyboard.press('Alt+ArrowUp')
  await expect.poll(focusedKey).toBe('photos/')
  await expect(page.getByTestId('breadcrumbs')).not.toContainText('photos')

  const opener = page.getByTestId('new-folder-button')
  await opener.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('new-folder-dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('new-folder-dialog')).toHaveCount(0)
  await expect(opener).toBeFocused()
  expect(errors).toEqual([])
  await context.close()
})

test('a live region announces a finished upload', async ({ browser }) => {
  const { context, page, errors } = await open(browser, 'en-US')
  const file = join(dataDir, 'announce-me.txt')
  await writeFile(file, 'hello')
  await openBucket(page)
  await page.getByTestId('upload-button').click()
  await page.getByTestId('upload-paths').fill(file)
  await page.getByTestId('encryption-mode-none').check()
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toBeVisible()
  await expect(page.getByTestId('live-status')).toHaveText('1 upload finished.', { timeout: 20_000 })
  await expect(page.getByTestId('live-status')).toHaveAttribute('aria-live', 'polite')
  expect(errors).toEqual([])
  await context.close()
})

test('a live region announces a FAILED upload at once (German), and the status bar names its cause', async ({
  browser,
}) => {
  const { context, page, errors } = await open(browser, 'de-DE')
  const file = join(dataDir, 'doomed.txt')
  await writeFile(file, 'this upload cannot work: the KMS key does not exist')
  await openBucket(page)
  await page.getByTestId('upload-button').click()
  const dialog = page.getByTestId('upload-dialog')
  await page.getByTestId('upload-paths').fill(file)
  await dialog.getByTestId('encryption-mode-sse-kms').check()
  await dialog.getByTestId('kms-manual-input').fill('nokey-9')
  await dialog.getByTestId('kms-manual-add').click()
  await page.getByTestId('upload-submit').click()
  await expect(page.getByTestId('upload-result')).toBeVisible()
  const alert = page.getByTestId('live-alert')
  await expect(alert).toHaveText('1 Upload fehlgeschlagen: siehe Übertragungen.', { timeout: 30_000 })
  await expect(alert).toHaveAttribute('aria-live', 'assertive')
  await expect(alert).toHaveAttribute('role', 'alert')
  await expect(page.getByTestId('status-cause')).toHaveText(/^Problem mit KMS-Schlüssel \(1 Upload\): /)
  await page.screenshot({ path: `${screenshotDir}/de-failed-upload.png` })
  expect(errors).toEqual([])
  await context.close()
})
