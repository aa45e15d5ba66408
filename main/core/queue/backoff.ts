/**
 * Exponential backoff with full jitter (as AWS and rclone's pacer recommend): attempt 1 waits up to `base`,
 * each further attempt doubles the ceiling up to `max`. Jitter spreads retries of many jobs apart so that a
 * recovering server is not hit by all of them at once.
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number = Math.random,
  base = 1000,
  max = 60_000,
): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
