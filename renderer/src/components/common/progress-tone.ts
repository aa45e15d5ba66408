export type ProgressTone = 'normal' | 'done' | 'failed' | 'paused'

/** A finished bar is drawn done, a failed one failed; any other moving or still, as its row knows. */
export function progressTone(state: string, moving: boolean): ProgressTone {
  if (state === 'done') return 'done'
  if (state === 'failed') return 'failed'
  return moving ? 'normal' : 'paused'
}
