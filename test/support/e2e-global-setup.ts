import { join } from 'node:path'
import { createAccountStore } from '../../main/core/accounts/account-store'
import { startHeadlessApp } from './headless-app'
import { startServices } from './services'

/**
 * e2e tier: real RGW and keyring, then the built headless app on a data folder of this run with one account
 * pointing at the RGW. Tests read the app's address from the environment; everything is stopped at the end.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const { services, stop: stopServices } = await startServices()
  try {
    const dataDir = join(services.runDir, 'app-data')
    await createAccountStore(dataDir).add({
      name: 'Harness RGW',
      provider: 'ceph-rgw',
      endpoint: services.rgw.httpsEndpoint,
      region: services.rgw.region,
      addressing: 'path',
      caFile: services.rgw.caFile,
      accessKeyId: services.rgw.accessKeyId,
    })
    const app = await startHeadlessApp(dataDir, { ...services.keyring })
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
