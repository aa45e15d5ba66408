/** How the CLI talks: plain lines for pipes and logs, a live progress line on a terminal, or JSON for scripts. */
export interface Output {
  json: boolean
  info(message: string): void
  result(value: unknown, text: string): void
  progress(line: string): void
  endProgress(): void
  /** Writes lines still held back (call before the process exits). */
  flush(): void
}

/** Info lines are written together at most this often: one write per uploaded file cost ~7% of a 2,000-file run. */
const INFO_FLUSH_MS = 100

export function createOutput(json: boolean, stream: NodeJS.WriteStream = process.stdout): Output {
  const live = !json && stream.isTTY === true
  let drawn = false
  let pending = ''
  let timer: NodeJS.Timeout | undefined
  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!pending) return
    if (drawn) stream.write('\n')
    drawn = false
    stream.write(pending)
    pending = ''
  }
  return {
    json,
    info(message) {
      if (json) return
      pending += `${message}\n`
      timer ??= setTimeout(flush, INFO_FLUSH_MS)
    },
    result(value, text) {
      flush()
      stream.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`)
    },
    progress(line) {
      if (json) return
      flush()
      if (live) {
        stream.write(`\r\x1b[2K${line}`)
        drawn = true
      }
    },
    endProgress() {
      flush()
      if (drawn) stream.write('\n')
      drawn = false
    },
    flush,
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}

/** `[#####.....] 50% 12.0 MiB/s ETA 8s` */
export function progressBar(
  done: number,
  total: number,
  bytesPerSecond: number,
  etaSeconds?: number,
): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1
  const width = 24
  const filled = Math.round(ratio * width)
  const eta = etaSeconds !== undefined ? ` ETA ${etaSeconds}s` : ''
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${formatBytes(bytesPerSecond)}/s${eta}`
}
