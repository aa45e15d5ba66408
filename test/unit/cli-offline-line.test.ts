import { describe, expect, it } from 'vitest'
import { newCauseLines, offlineLine } from '../../main/cli/commands/transfer-progress'
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

describe('the CLI names what stops uploads on stderr, once per cause (#14)', () => {
  const disk = { code: 'DISK_FULL' as const, message: 'The disk is full: free some space.' }
  const keychain = { code: 'KEYCHAIN_UNAVAILABLE' as const, message: 'The OS keychain cannot be reached.' }
  const idle: StatusSummary = { ...EMPTY_STATUS, state: 'error', queued: 2 }

  it('disk full and a held account: said when they appear, not repeated, said again when they come back', () => {
    const told = new Set<string>()
    expect(newCauseLines({ ...idle, causes: [disk] }, told)).toEqual([
      'Disk full: The disk is full: free some space.',
    ])
    expect(newCauseLines({ ...idle, causes: [disk, keychain] }, told)).toEqual([
      'Keychain unavailable: The OS keychain cannot be reached.',
    ])
    expect(newCauseLines({ ...idle, causes: [disk, keychain] }, told)).toEqual([])
    expect(newCauseLines({ ...idle, causes: [] }, told)).toEqual([])
    expect(newCauseLines({ ...idle, causes: [disk] }, told)).toEqual([
      'Disk full: The disk is full: free some space.',
    ])
  })

  it('offline (its own line) and failed uploads (printed as they fail) are not repeated', () => {
    const offline = { code: 'NETWORK' as const, message: 'The connection stalled.' }
    const kms = { code: 'KMS_KEY_NOT_FOUND' as const, message: 'KMS key "k" does not exist.', jobs: 3 }
    const status = {
      ...idle,
      state: 'offline' as const,
      offlineReason: offline.message,
      causes: [offline, kms],
    }
    expect(newCauseLines(status, new Set())).toEqual([])
  })
})
