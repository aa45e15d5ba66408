/**
 * What quitting needs from the services: stop the watchers and workers and let running jobs reach a saved
 * state (the queue is durable, so a job cut short resumes next time; this just makes it tidy).
 */
export interface StoppableServices {
  shutdown(): Promise<void>
}

export interface QuitController {
  /** True from the moment quitting starts: the window may close for real, the tray stops routing. */
  readonly quitting: boolean
  /** Stops the services (waiting at most `timeoutMs`), then exits. Calling it again returns the same run. */
  quit(): Promise<void>
}

export interface QuitOptions {
  shutdown: StoppableServices['shutdown']
  /** app.exit: ends the process without emitting before-quit again. */
  exit(code: number): void
  /** A hung shutdown must not keep a process the user asked to quit alive. */
  timeoutMs?: number
  log?: (message: string, error?: unknown) => void
}

/** Quit = shutdown, wait for it (bounded), exit. Exit code 1 tells a supervisor the stop was not clean. */
export function createQuitController(options: QuitOptions): QuitController {
  const timeoutMs = options.timeoutMs ?? 10_000
  const log = options.log ?? (() => {})
  let running: Promise<void> | undefined

  async function stop(): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`The services did not stop within ${timeoutMs / 1000} s; quitting anyway.`)
        resolve(1)
      }, timeoutMs)
    })
    const stopped = Promise.resolve()
      .then(() => options.shutdown())
      .then(
        () => 0,
        (error: unknown) => {
          log('The services did not stop cleanly', error)
          return 1
        },
      )
    try {
      return await Promise.race([stopped, timedOut])
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    get quitting() {
      return running !== undefined
    },
    quit() {
      running ??= stop().then((code) => options.exit(code))
      return running
    },
  }
}
