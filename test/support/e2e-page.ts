import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  expect,
  type Page,
  test,
} from '@playwright/test'

/** A browser context (1280 x 800 unless `options` say otherwise) and its page, whose errors go to `errors`. */
export async function openPage(
  browser: Browser,
  errors: string[],
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  const page = await context.newPage()
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  return { context, page }
}

/**
 * The hooks of a spec that drives one page: after each test the page must have reported no error; after all of
 * them its context is closed, then the app stopped (when the spec started one) and `tidy` run.
 */
export function checkPageAndCloseAfterAll(
  errors: string[],
  opened: () => { context?: BrowserContext; app?: { stop(): Promise<void> } },
  tidy: () => Promise<unknown> = async () => {},
): void {
  test.afterEach(() => {
    expect(errors, 'errors in the page').toEqual([])
  })
  test.afterAll(async () => {
    const { context, app } = opened()
    await context?.close()
    await app?.stop()
    await tidy()
  })
}
