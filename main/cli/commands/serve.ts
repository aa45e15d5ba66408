import type { Command } from 'commander'
import type { CliContext } from '../context'
import { hasDisplay, openInBrowser } from '../open-browser'

export function registerServeCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
  /** The built web UI (out/renderer), served as static files. */
  rendererDir: string,
) {
  program
    .command('serve')
    .description('serve the web UI on 127.0.0.1 (a token is required; the printed URL includes it)')
    .option('--port <port>', 'port to listen on (default: a random free port)', (v) => Number.parseInt(v, 10))
    .option('--open', 'open the web UI in the default browser when this machine has a display')
    .action((options: { port?: number; open?: boolean }) =>
      run(async ({ services, out }) => {
        // Listened for from the start: a Ctrl-C while the server starts still shuts down cleanly.
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
        })
        // Loaded here, not at start-up: the WebSocket library is only needed by this command.
        const { startWebServer } = await import('../../server/web-server')
        const server = await startWebServer({
          rendererDir,
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
        if (options.open) {
          const problem = hasDisplay() ? await openInBrowser(server.openUrl) : 'this machine has no display'
          out.info(
            problem
              ? `Not opened in a browser (${problem}): open the URL above in one.`
              : 'Opened in the default browser.',
          )
        }
        // The queue and the watched folders run while the UI is served, as in the desktop app.
        await services.start()
        await stopped
        await server.close()
        return 0
      }),
    )
}
