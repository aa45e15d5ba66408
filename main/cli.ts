#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { APP_VERSION } from './core/app-meta'
import { resolveDataDir } from './core/data-dir'
import { startWebServer } from './server/web-server'
import { createAppServices } from './services'

/** `obs-sync`: the headless face of the same core, for servers, scripts and our end-to-end tests. */
const program = new Command()
  .name('obs-sync')
  .description('Encrypted uploads and folder sync to OBS and S3-compatible storage')
  .version(APP_VERSION)
  .option(
    '--data-dir <dir>',
    'folder for config, queue and state (default: OBS_SYNC_HOME or the OS app-data folder)',
  )

program
  .command('serve')
  .description('serve the web UI on 127.0.0.1 (a token is required; the URL printed includes it)')
  .option('--port <port>', 'port to listen on (default: a random free port)', (v) => Number.parseInt(v, 10))
  .option('--json', 'print the address as one JSON line (for scripts)')
  .action(async (options: { port?: number; json?: boolean }) => {
    const dataDir = resolveDataDir(program.opts<{ dataDir?: string }>().dataDir)
    const services = createAppServices({ dataDir, host: 'web' })
    const server = await startWebServer({
      rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      dispatch: services.dispatch,
      subscribe: (listener) => services.bus.onAny((event, payload) => listener(event, payload)),
      port: options.port,
      token: process.env.OBS_SYNC_WEB_TOKEN || undefined,
    })
    if (options.json) {
      console.log(JSON.stringify({ url: server.url, openUrl: server.openUrl, port: server.port, dataDir }))
    } else {
      console.log(`OBS Sync web UI: ${server.openUrl}`)
      console.log(`Data folder: ${dataDir}. Press Ctrl-C to stop.`)
    }
    const stop = async () => {
      await server.close()
      process.exit(0)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

program.parseAsync().catch((error: unknown) => {
  console.error(`obs-sync: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
