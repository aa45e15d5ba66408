/** How the CLI talks: plain lines for pipes and logs, a live progress line on a terminal, or JSON for scripts. */
export interface Output {
  json: boolean
  info(message: string): void
  result(value: unknown, text: string): void
  progress(line: string): void
  endProgress(): void
}

export function createOutput(json: boolean, stream: NodeJS.WriteStream = process.stdout): Output {
  const live = !json && stream.isTTY === true
  let drawn = false
  return {
    json,
    info(message) {
      if (json) return
      if (drawn) stream.write('\n')
      drawn = false
      stream.write(`${message}\n`)
    },
    result(value, text) {
      stream.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`)
    },
    progress(line) {
      if (json) return
      if (live) {
        stream.write(`\r\x1b[2K${line}`)
        drawn = true
      }
    },
    endProgress() {
      if (drawn) stream.write('\n')
      drawn = false
    },
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
