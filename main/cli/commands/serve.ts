import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import type { CliContext } from '../context'

export function registerServeCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('serve')
    .description('serve the web UI on 127.0.0.1 (a token is required; the printed URL includes it)')
    .option('--port <port>', 'port to listen on (default: a random free port)', (v) => Number.parseInt(v, 10))
    .action((options: { port?: number }) =>
      run(async ({ services, out }) => {
        // Loaded here, not at start-up: the WebSocket library is only needed by this command.
        const { startWebServer } = await import('../../server/web-server')
        const server = await startWebServer({
          rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
          dispatch: services.dispatch,
          subscribe: (listener) => services.bus.onAny((event, payload) => listener(event, payload)),
          port: options.port,
          token: process.env.OBS_SYNC_WEB_TOKEN || undefined,
          transfers: services.transfers,
        })
        out.result(
          { url: server.url, openUrl: server.openUrl, port: server.port, dataDir: services.dataDir },
          `OBS Sync web UI: ${server.openUrl}\nData folder: ${services.dataDir}. Press Ctrl-C to stop.`,
        )
        // The queue and the watched folders run while the UI is served, as in the desktop app.
        await services.start()
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve)
          process.once('SIGTERM', resolve)
        })
        await server.close()
        return 0
      }),
    )
}
