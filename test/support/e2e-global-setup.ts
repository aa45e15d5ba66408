import { join } from 'node:path'
import { startHeadlessApp } from './headless-app'
import { startServices } from './services'

/**
 * e2e tier: real RGW and keyring, then the built headless app on an empty data folder of this run: no account,
 * so the UI starts at first run and the tests add the account through the form (its secret then goes to the
 * run's keychain). Tests read the app's address from the environment; everything is stopped at the end.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const { services, stop: stopServices } = await startServices()
  try {
    const app = await startHeadlessApp(join(services.runDir, 'app-data'), {
      ...services.keyring,
      // Credentials from the environment would bypass the keychain: the e2e tier must go through it.
      OBS_SYNC_ACCESS_KEY_ID: undefined,
      OBS_SYNC_SECRET_ACCESS_KEY: undefined,
    })
    process.env.OBS_SYNC_E2E_OPEN_URL = app.openUrl
    process.env.OBS_SYNC_E2E_URL = app.url
    process.env.OBS_SYNC_E2E_SERVICES = JSON.stringify(services)
    return async () => {
      await app.stop()
      await stopServices()
    }
  } catch (error) {
    await stopServices()
    throw error
  }
}
