import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rgwAccountAddArgs, runCli } from './cli'
import { type HeadlessApp, startHeadlessApp } from './headless-app'
import type { TestServices } from './services'

/** What the e2e global setup started (RGW, keyring), as Playwright specs read it from the environment. */
export const e2eServices = JSON.parse(process.env.OBS_SYNC_E2E_SERVICES!) as TestServices

/**
 * The RGW's second S3 user: specs that count or list buckets use it, so the other specs' buckets (the first
 * user's) never show in their pages.
 */
export const secondRgwUser = {
  ...e2eServices.rgw,
  accessKeyId: e2eServices.rgw.otherAccessKeyId,
  secretAccessKey: e2eServices.rgw.otherSecretAccessKey,
}

export const screenshotDir = 'test-results/screenshots'

/**
 * A headless app of a spec's own: a fresh data folder with one account of the second RGW user (added with the
 * CLI, secret on stdin), served on its own port. The caller stops the app and removes the folder.
 */
export async function startAppWithSecondUser(
  accountName: string,
  folderPrefix: string,
): Promise<{ app: HeadlessApp; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), folderPrefix))
  const added = await runCli(
    ['--data-dir', dataDir, ...rgwAccountAddArgs(secondRgwUser, accountName)],
    { ...e2eServices.keyring },
    secondRgwUser.secretAccessKey,
  )
  if (added.code !== 0) throw new Error(`account add failed: ${added.stderr}`)
  const app = await startHeadlessApp(dataDir, {
    ...e2eServices.keyring,
    OBS_SYNC_ACCESS_KEY_ID: undefined,
    OBS_SYNC_SECRET_ACCESS_KEY: undefined,
  })
  return { app, dataDir }
}
