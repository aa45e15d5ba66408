import { expect, test } from '@playwright/test'

const openUrl = process.env.OBS_SYNC_E2E_OPEN_URL!
const url = process.env.OBS_SYNC_E2E_URL!

test('without the token the web UI is refused', async ({ page }) => {
  const response = await page.goto(url)
  expect(response?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('needs the token')
})

test('with the token the web UI loads and talks to the real backend over the WebSocket', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(openUrl)
  // The token moved into a cookie: it is no longer in the address bar.
  expect(page.url()).not.toContain('token=')
  // app:info, status:summary and accounts:presets all come from the backend.
  await expect(page.getByTestId('app-info')).toContainText(/Version \d+\.\d+\.\d+ · web UI/)
  await expect(page.getByTestId('status-state')).toBeVisible()
  await page.getByTestId('add-account').click()
  await expect(page.getByTestId('account-form')).toBeVisible()
  await expect(
    page.getByTestId('account-preset').locator('option', { hasText: 'Ceph RADOS Gateway' }),
  ).toHaveCount(1)
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true })
  expect(errors).toEqual([])
})
