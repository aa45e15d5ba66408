import { describe, expect, it } from 'vitest'
import { offlineLine } from '../../main/cli/commands/transfer-progress'
import { EMPTY_STATUS } from '../../main/electron/status-feed'
import type { StatusSummary } from '../../preload/contract/queue-models'

// The line `obs-sync upload/sync/watch` writes on stderr while offline.
const base: StatusSummary = { ...EMPTY_STATUS, state: 'offline', queued: 2 }

describe('the CLI offline line', () => {
  it('says when the next retry is due and why the last attempt failed', () => {
    const now = Date.parse('2026-11-29T22:00:00Z')
    const line = offlineLine(
      { ...base, retryAt: '2026-11-29T22:00:07.200Z', offlineReason: 'The connection to X stalled.' },
      now,
    )
    expect(line).toBe('offline, retrying in 8 s: The connection to X stalled.')
    expect(offlineLine({ ...base, retryAt: '2026-11-29T21:59:59Z' }, now)).toBe('offline, retrying now')
    expect(offlineLine(base, now)).toBe('offline, retrying')
  })
})
