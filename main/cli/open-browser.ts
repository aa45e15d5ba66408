/**
 * Whether a browser window can be shown here: on macOS and Windows there is always a desktop; elsewhere only with
 * an X11 or Wayland display (an SSH session or a server has none, and a browser started there would fail or open
 * a text browser in the terminal).
 */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/**
 * Opens the URL in the default browser (`open`: xdg-open, macOS open, Windows start, WSL), without waiting for
 * it. Answers why not, when it could not; the URL is printed anyway.
 */
export async function openInBrowser(url: string): Promise<string | undefined> {
  try {
    // Loaded here: only `serve --open` needs it.
    const { default: open } = await import('open')
    // Answers once the launcher has started (a launcher that cannot start rejects).
    const launcher = await open(url)
    launcher.on('error', () => {})
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
