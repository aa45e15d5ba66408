import { relative, sep } from 'node:path'
import type { IgnoreRules } from './ignore-rules'

/**
 * A chokidar watcher on one folder that reports every path that may have changed (added, changed, removed);
 * what to do with it is decided after the path settles. Ignored folders are not even watched.
 */
export async function watchFolder(
  root: string,
  rules: IgnoreRules,
  onPath: (absPath: string) => void,
): Promise<{ close(): Promise<void> }> {
  // Loaded here: a one-pass `obs-sync sync` never watches, and start-up time is what its catch-up costs.
  const { watch } = await import('chokidar')
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    persistent: true,
    ignored: (path, stats) => {
      const rel = relative(root, path).split(sep).join('/')
      if (!rel || rel.startsWith('..')) return false
      return rules.ignores(stats?.isDirectory() ? `${rel}/` : rel)
    },
  })
  watcher.on('add', onPath)
  watcher.on('change', onPath)
  watcher.on('unlink', onPath)
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', () => resolve())
    watcher.once('error', reject)
  })
  return { close: () => watcher.close() }
}
